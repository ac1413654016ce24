// The lazy range: a long stream read page by page, with contiguous versions
// and never more than one page in memory.
#include <gtest/gtest.h>

#include <algorithm>

#include "event_factory.hpp"
#include "test_database.hpp"

namespace eventstore {
namespace {

using namespace testing_support;

class StreamRangeTest : public ClientTest {
 protected:
  StreamName stream_with(int event_count) {
    StreamName stream = stream_name("range" + unique_token() + "-1");
    for (int written = 0; written < event_count;) {
      int batch = std::min(10'000, event_count - written);
      auto appended = client().append(stream, ExpectedVersion::any(), make_events(batch));
      EXPECT_TRUE(appended) << appended.error().describe();
      if (!appended) break;
      written += batch;
    }
    return stream;
  }
};

TEST_F(StreamRangeTest, TwentyThousandEventsForwardsWithBoundedMemory) {
  constexpr int event_count = 20'000;
  constexpr int page_size = 128;
  StreamName stream = stream_with(event_count);
  StreamEventRange range = client().stream(stream, {.page_size = page_size});
  std::int64_t expected_version = 0;
  std::size_t most_buffered = 0;
  for (auto& event : range) {
    ASSERT_TRUE(event) << event.error().describe();
    ASSERT_EQ(event->version.value(), expected_version);
    ASSERT_EQ(event->stream, stream);
    most_buffered = std::max(most_buffered, range.buffered_event_count());
    ++expected_version;
  }
  EXPECT_EQ(expected_version, event_count);
  EXPECT_LE(most_buffered, static_cast<std::size_t>(page_size));
  EXPECT_GE(most_buffered, static_cast<std::size_t>(page_size) - 1);  // it did hold pages
  EXPECT_EQ(range.buffered_event_count(), 0u);
}

TEST_F(StreamRangeTest, TwentyThousandEventsBackwards) {
  constexpr int event_count = 20'000;
  StreamName stream = stream_with(event_count);
  std::int64_t expected_version = event_count - 1;
  int seen = 0;
  auto range = client().stream(stream, {.page_size = 333, .direction = ReadDirection::backward});
  for (auto& event : range) {
    ASSERT_TRUE(event) << event.error().describe();
    ASSERT_EQ(event->version.value(), expected_version);
    ASSERT_LE(range.buffered_event_count(), 333u);
    --expected_version;
    ++seen;
  }
  EXPECT_EQ(seen, event_count);
}

TEST_F(StreamRangeTest, StartsFromAVersionEitherWay) {
  StreamName stream = stream_with(10);
  std::vector<std::int64_t> forward, backward;
  for (auto& event : client().stream(stream, {.from = StreamVersion{6}, .page_size = 2})) {
    ASSERT_TRUE(event);
    forward.push_back(event->version.value());
  }
  for (auto& event :
       client().stream(stream, {.from = StreamVersion{3}, .page_size = 2, .direction = ReadDirection::backward})) {
    ASSERT_TRUE(event);
    backward.push_back(event->version.value());
  }
  EXPECT_EQ(forward, (std::vector<std::int64_t>{6, 7, 8, 9}));
  EXPECT_EQ(backward, (std::vector<std::int64_t>{3, 2, 1, 0}));
}

TEST_F(StreamRangeTest, PageSizeDividingTheStreamEndsCleanly) {
  StreamName stream = stream_with(12);
  for (ReadDirection direction : {ReadDirection::forward, ReadDirection::backward}) {
    int seen = 0;
    for (auto& event : client().stream(stream, {.page_size = 4, .direction = direction})) {
      ASSERT_TRUE(event) << event.error().describe();
      ++seen;
    }
    EXPECT_EQ(seen, 12);
  }
}

TEST_F(StreamRangeTest, MissingStreamYieldsNothing) {
  int seen = 0;
  for ([[maybe_unused]] auto& event : client().stream(stream_name("range" + unique_token() + "-missing"))) ++seen;
  EXPECT_EQ(seen, 0);
}

TEST_F(StreamRangeTest, AnErrorIsYieldedAndEndsTheRange) {
  StreamName stream = stream_with(3);
  std::vector<Result<RecordedEvent>> elements;
  for (auto& event : client().stream(stream, {.page_size = 0})) elements.push_back(std::move(event));
  ASSERT_EQ(elements.size(), 1u);
  ASSERT_FALSE(elements[0]);
  EXPECT_EQ(elements[0].error().code(), ErrorCode::invalid_argument) << elements[0].error().describe();
  EXPECT_EQ(elements[0].error().sqlstate(), "22V08");
}

TEST_F(StreamRangeTest, EventsCanBeMovedOut) {
  StreamName stream = stream_with(5);
  std::vector<RecordedEvent> kept;
  for (auto& event : client().stream(stream, {.page_size = 2})) {
    ASSERT_TRUE(event);
    kept.push_back(std::move(*event));
  }
  ASSERT_EQ(kept.size(), 5u);
  for (std::size_t i = 0; i < kept.size(); ++i) {
    EXPECT_EQ(kept[i].version.value(), static_cast<std::int64_t>(i));
    EXPECT_EQ(kept[i].data, "{\"index\": " + std::to_string(i) + "}");
  }
}

TEST_F(StreamRangeTest, SeesEventsAppendedWhileIterating) {
  StreamName stream = stream_with(4);
  int seen = 0;
  bool appended = false;
  for (auto& event : client().stream(stream, {.page_size = 2})) {
    ASSERT_TRUE(event);
    ++seen;
    if (!appended) {
      // The same client, between pages: no statement is left open by the range.
      ASSERT_TRUE(client().append(stream, ExpectedVersion::any(), make_events(3)));
      appended = true;
    }
  }
  EXPECT_EQ(seen, 7);
}

}  // namespace
}  // namespace eventstore
