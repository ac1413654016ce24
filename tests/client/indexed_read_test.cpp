// The indexed reads through the Client, where only the server shows it:
// cursors through many events of one transaction (one created_at), and the
// client's checks before anything is sent.
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "event_factory.hpp"
#include "test_database.hpp"

namespace eventstore {
namespace {

using namespace testing_support;
using namespace std::chrono_literals;

class IndexedReadTest : public ClientTest {};

TEST_F(IndexedReadTest, TimeRangeCursorPagesThroughOneLargeTransaction) {
  auto stream = stream_name("range" + token() + "-1");
  auto appended = client().append(stream, ExpectedVersion::no_stream(), make_events(50, "Ranged" + token()));
  ASSERT_TRUE(appended) << appended.error().describe();
  auto first = client().read_stream(stream, {.max_count = 1});
  ASSERT_TRUE(first && !first->empty());
  TimeRange range{first->front().created_at, first->front().created_at + 1us};
  std::vector<std::int64_t> versions;
  std::optional<TimeRangePosition> cursor;
  for (int pages = 0; pages < 100; ++pages) {
    auto page = client().read_time_range(range, cursor, 7);
    ASSERT_TRUE(page) << page.error().describe();
    ASSERT_LE(page->size(), 7u);
    if (page->empty()) break;
    for (const RecordedEvent& event : *page)
      if (event.stream == stream) versions.push_back(event.version.value());
    cursor = TimeRangePosition::of(page->back());
  }
  ASSERT_EQ(versions.size(), 50u);
  for (std::size_t i = 0; i < versions.size(); ++i) EXPECT_EQ(versions[i], static_cast<std::int64_t>(i));
}

TEST_F(IndexedReadTest, CorrelatedAndTypedReadsPageByTheirCursor) {
  const std::string correlation = "process-" + token();
  const std::string metadata = R"({"correlation_id": ")" + correlation + R"("})";
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(client().append(stream_name("step" + token() + "-" + std::to_string(i)), ExpectedVersion::no_stream(),
                                make_events(3, "Step" + token(), metadata)));
  std::set<EventId> correlated;
  std::optional<LogPosition> checkpoint;
  for (;;) {
    auto page = client().read_correlated(correlation, checkpoint, 4);
    ASSERT_TRUE(page) << page.error().describe();
    if (page->empty()) break;
    for (const RecordedEvent& event : *page) EXPECT_TRUE(correlated.insert(event.id).second);
    checkpoint = page->back().log_position;
  }
  EXPECT_EQ(correlated.size(), 15u);
  std::set<EventId> typed;
  checkpoint.reset();
  for (;;) {
    auto page = client().read_event_type("Step" + token(), checkpoint, 4);
    ASSERT_TRUE(page) << page.error().describe();
    if (page->empty()) break;
    for (const RecordedEvent& event : *page) typed.insert(event.id);
    checkpoint = page->back().log_position;
  }
  EXPECT_EQ(typed, correlated);
}

TEST_F(IndexedReadTest, CursorPagesWorkWithinADeadline) {
  // With a deadline every statement goes out in a pipeline with its statement_timeout.
  const std::string correlation = "deadline-" + token();
  ASSERT_TRUE(client().append(stream_name("timed" + token() + "-1"), ExpectedVersion::no_stream(),
                              make_events(3, "Timed", R"({"correlation_id": ")" + correlation + R"("})")));
  DeadlineScope deadline{Deadline::clock::now() + 30s};
  auto first = client().read_correlated(correlation, std::nullopt, 2);
  ASSERT_TRUE(first) << first.error().describe();
  ASSERT_EQ(first->size(), 2u);
  auto rest = client().read_correlated(correlation, first->back().log_position, 2);
  ASSERT_TRUE(rest) << rest.error().describe();
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ(rest->front().version, StreamVersion{2});
  TimeRange range{first->front().created_at, first->front().created_at + 1us};
  auto timed = client().read_time_range(range, TimeRangePosition::of(first->front()), 5);
  ASSERT_TRUE(timed) << timed.error().describe();
  std::size_t later = 0;
  for (const RecordedEvent& event : *timed)
    if (event.stream == first->front().stream) ++later;
  EXPECT_EQ(later, 2u);
}

TEST_F(IndexedReadTest, TheClientChecksBeforeSending) {
  auto long_type = std::string(256, 'x');
  EXPECT_EQ(client().read_event_type(long_type, std::nullopt, 1).error().code(), ErrorCode::invalid_event_type);
  EXPECT_TRUE(client().read_event_type(long_type, std::nullopt, 1).error().sqlstate().empty());
  EXPECT_EQ(client().read_event_type("T", std::nullopt, -3).error().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(client().read_correlated("bad\x01id", std::nullopt, 1).error().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(client().read_time_range({}, std::nullopt, 0).error().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(client().read_category("job", ConsumerGroup{0, 2}, std::nullopt, 1, {""}).error().code(),
            ErrorCode::invalid_event_type);
}

}  // namespace
}  // namespace eventstore
