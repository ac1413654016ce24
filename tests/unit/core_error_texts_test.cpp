#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include "eventstore/core/error_texts.hpp"
#include "eventstore/core/expected_version.hpp"
#include "eventstore/core/utf8.hpp"

namespace eventstore::core {
namespace {

// The extension holds an ErrorText while it raises a PostgreSQL error (a longjmp).
static_assert(std::is_trivially_destructible_v<ErrorText>);

// The words below are the server's (expected/*.out): the client and the
// in-memory store depend on them.
TEST(CoreErrorTexts, WrongExpectedVersion) {
  EXPECT_EQ(wrong_expected_version_message("order-1", 3, 5).view(),
            "wrong expected version for stream \"order-1\": expected version 3, actual version 5");
  EXPECT_EQ(wrong_expected_version_message("order-1", expected_no_stream, 0).view(),
            "wrong expected version for stream \"order-1\": expected no stream, actual version 0");
  EXPECT_EQ(wrong_expected_version_message("order-1", expected_stream_exists, -1).view(),
            "wrong expected version for stream \"order-1\": expected an existing stream, actual version -1");
  EXPECT_EQ(actual_version_detail(12).view(), "actual version: 12");
  EXPECT_EQ(actual_version_detail(-1).view(), "actual version: -1");
}

TEST(CoreErrorTexts, ActualVersionRoundTrips) {
  for (std::int64_t version :
       {std::int64_t{-1}, std::int64_t{0}, std::int64_t{41}, std::numeric_limits<std::int64_t>::max()})
    EXPECT_EQ(parse_actual_version(actual_version_detail(version).view()), version);
}

TEST(CoreErrorTexts, ParsesTheActualVersionLineOnly) {
  EXPECT_EQ(parse_actual_version("something first\nactual version: 7\nmore"), 7);
  for (std::string_view detail : {"", "actual version:", "actual version: ", "actual version: x",
                                  "actual version: 12abc", "actual version: 99999999999999999999", "version: 3"})
    EXPECT_EQ(parse_actual_version(detail), std::nullopt) << detail;
}

TEST(CoreErrorTexts, StreamMessages) {
  EXPECT_EQ(stream_tombstoned_message("gone-1").view(), "stream \"gone-1\" is deleted for good (tombstoned)");
  EXPECT_STREQ(stream_tombstoned_hint,
               "A hard-deleted stream can neither be read nor appended to again; use another name.");
  EXPECT_EQ(stream_not_found_message("never-1").view(), "stream \"never-1\" does not exist");
}

TEST(CoreErrorTexts, AppendMessages) {
  EXPECT_EQ(no_events_message("s-1").view(), "an append to stream \"s-1\" needs at least one event");
  EXPECT_EQ(too_many_events_message(1000, 1001, "s-1").view(),
            "an append may write at most 1000 events, got 1001 for stream \"s-1\"");
  EXPECT_EQ(too_many_events_in_append_multi_message(1000, 1001).view(),
            "an append may write at most 1000 events, got 1001");
  EXPECT_EQ(event_too_large_message(2, "s-1", 70000, 65536).view(),
            "event 2 of stream \"s-1\" is too large: 70000 bytes of data and metadata, the limit is 65536");
  EXPECT_EQ(duplicate_event_id_message("0190a2d4-0000-7000-8000-000000000001").view(),
            "event id 0190a2d4-0000-7000-8000-000000000001 appears more than once in one append");
  EXPECT_EQ(event_id_reused_message("0190a2d4-0000-7000-8000-000000000001").view(),
            "event id 0190a2d4-0000-7000-8000-000000000001 is already used by another event");
  EXPECT_EQ(event_id_reused_detail("s-1").view(),
            "An append to stream \"s-1\" is repeated only when every event has the same id, stream, order, type, "
            "data and metadata as before.");
}

TEST(CoreErrorTexts, ArgumentMessages) {
  EXPECT_EQ(below_minimum_message("max_count", 1, 0).view(), "max_count must be at least 1, got 0");
  EXPECT_EQ(below_minimum_message("from_version", 0, -5).view(), "from_version must be at least 0, got -5");
  EXPECT_EQ(category_with_dash_message("a-b").view(),
            "category \"a-b\" contains '-'; a category is the part of a stream name before its first '-'");
  EXPECT_EQ(consumer_group_member_message(3, 2).view(),
            "consumer_group_member must be in 0 .. consumer_group_size - 1 and the size at least 1, "
            "got member 3 of 2");
}

TEST(CoreErrorTexts, SnapshotMessages) {
  EXPECT_EQ(
      snapshot_too_large_message("s-1", 2000, 1024).view(),
      "the snapshot of stream \"s-1\" is too large: 2000 bytes, the limit (eventstore.max_snapshot_size) is 1024");
  EXPECT_EQ(no_events_to_snapshot_message("s-1").view(), "stream \"s-1\" has no events to snapshot");
  EXPECT_EQ(no_version_to_snapshot_message("s-1", 9, 2, 4).view(),
            "stream \"s-1\" has no version 9 to snapshot (its versions are 2 to 4)");
}

TEST(CoreErrorTexts, QuotedInputIsCutToTheEchoLimit) {
  std::string name(255, 'n');
  std::string expected = "stream \"" + std::string(echo_limit, 'n') + "...\" is deleted for good (tombstoned)";
  EXPECT_EQ(stream_tombstoned_message(name).view(), expected);
  std::string fits(echo_limit, 'f');
  EXPECT_EQ(stream_tombstoned_message(fits).view(), "stream \"" + fits + "\" is deleted for good (tombstoned)");
}

TEST(CoreErrorTexts, QuotedInputIsCutAtACharacter) {
  std::string category;
  while (category.size() < 2 * ErrorText::capacity) category += "\xE2\x82\xAC";  // 3 bytes each
  category += "-";
  ErrorText text = category_with_dash_message(category);
  EXPECT_TRUE(is_valid_utf8(text.view()));
  EXPECT_TRUE(text.view().starts_with("category \"" + category.substr(0, 63) + "...\""));  // 21 whole characters
  EchoedText echoed_text = echoed(category);
  EXPECT_EQ(std::string_view{echoed_text.text}, category.substr(0, 63) + "...");
  EXPECT_EQ(std::string_view{echoed("short").text}, "short");
}

}  // namespace
}  // namespace eventstore::core
