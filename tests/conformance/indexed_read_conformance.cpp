// The shared conformance suite: consumer groups and the indexed reads (by
// event type, time range and correlation id), each paged by its cursor.
#include <chrono>
#include <set>

#include "event_store_conformance.hpp"

namespace eventstore::conformance {
namespace {

std::vector<EventId> ids_of(const std::vector<RecordedEvent>& events) {
  std::vector<EventId> ids;
  for (const RecordedEvent& event : events) ids.push_back(event.id);
  return ids;
}

EventData correlated(const std::string& type, const std::string& correlation_id) {
  return EventData::create(type, "{}", R"({"correlation_id": ")" + correlation_id + R"("})");
}

TEST_P(EventStoreConformance, TheMembersOfAConsumerGroupShareACategory) {
  for (int i = 0; i < 12; ++i)
    ASSERT_TRUE(store().append(stream("job-" + std::to_string(i)), ExpectedVersion::no_stream(), make_events(2)));
  ASSERT_TRUE(store().append(stream("other-1"), ExpectedVersion::no_stream(), make_events(1)));
  auto category = store().read_category("job", std::nullopt, 1000);
  ASSERT_TRUE(category);
  ASSERT_EQ(category->size(), 24u);

  constexpr std::int32_t size = 3;
  std::set<EventId> seen;
  for (std::int32_t member = 0; member < size; ++member) {
    std::optional<LogPosition> checkpoint;
    for (;;) {
      auto page = store().read_category("job", ConsumerGroup{member, size}, checkpoint, 5);
      ASSERT_TRUE(page) << page.error().describe();
      if (page->empty()) break;
      for (const RecordedEvent& event : *page) {
        EXPECT_EQ(ConsumerGroup::member_for(event.stream.value(), size), member) << event.stream.value();
        EXPECT_TRUE(seen.insert(event.id).second);
      }
      checkpoint = page->back().log_position;
    }
  }
  EXPECT_EQ(seen.size(), category->size());
  auto alone = store().read_category("job", ConsumerGroup{0, 1}, std::nullopt, 1000);
  ASSERT_TRUE(alone);
  EXPECT_EQ(ids_of(*alone), ids_of(*category));
}

TEST_P(EventStoreConformance, AConsumerGroupNeedsAMemberBelowItsSize) {
  ASSERT_TRUE(store().append(stream("job-1"), ExpectedVersion::no_stream(), make_events(1)));
  for (ConsumerGroup group : {ConsumerGroup{3, 3}, ConsumerGroup{-1, 3}, ConsumerGroup{0, 0}}) {
    auto refused = store().read_category("job", group, std::nullopt, 10);
    ASSERT_FALSE(refused) << group.member << " of " << group.size;
    EXPECT_EQ(refused.error().code(), ErrorCode::invalid_argument);
    EXPECT_EQ(refused.error().sqlstate(), "22V08");
  }
}

TEST_P(EventStoreConformance, ReadEventTypeFollowsOneTypeInLogOrder) {
  ASSERT_TRUE(
      store().append(stream("order-1"), ExpectedVersion::no_stream(),
                     std::vector<EventData>{EventData::create("Placed", "{}"), EventData::create("Paid", "{}")}));
  ASSERT_TRUE(store().append(stream("order-2"), ExpectedVersion::no_stream(), make_events(3, "Placed")));
  ASSERT_TRUE(store().append(stream("order-3"), ExpectedVersion::no_stream(), make_events(2, "Placed")));
  ASSERT_TRUE(store().delete_stream(stream("order-3")));
  std::vector<RecordedEvent> placed;
  std::optional<LogPosition> checkpoint;
  for (;;) {
    auto page = store().read_event_type("Placed", checkpoint, 2);
    ASSERT_TRUE(page) << page.error().describe();
    ASSERT_LE(page->size(), 2u);
    if (page->empty()) break;
    checkpoint = page->back().log_position;
    placed.insert(placed.end(), page->begin(), page->end());
  }
  ASSERT_EQ(placed.size(), 4u);
  for (std::size_t i = 0; i < placed.size(); ++i) {
    EXPECT_EQ(placed[i].type, "Placed");
    if (i > 0) {
      EXPECT_LT(placed[i - 1].log_position, placed[i].log_position);
    }
  }
  EXPECT_EQ(placed.front().stream, stream("order-1"));

  auto bad_type = store().read_event_type("", std::nullopt, 10);
  ASSERT_FALSE(bad_type);
  EXPECT_EQ(bad_type.error().code(), ErrorCode::invalid_event_type);
  auto bad_count = store().read_event_type("Placed", std::nullopt, 0);
  ASSERT_FALSE(bad_count);
  EXPECT_EQ(bad_count.error().code(), ErrorCode::invalid_argument);
}

TEST_P(EventStoreConformance, ReadCorrelatedFindsAProcessInLogOrder) {
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::no_stream(),
                             std::vector<EventData>{correlated("Placed", "k-1"), correlated("Placed", "k-2")}));
  ASSERT_TRUE(store().append(stream("payment-1"), ExpectedVersion::no_stream(),
                             std::vector<EventData>{correlated("Charged", "k-1"), EventData::create("Noted", "{}")}));
  ASSERT_TRUE(store().append(stream("shipment-1"), ExpectedVersion::no_stream(),
                             std::vector<EventData>{correlated("Shipped", "k-1"),
                                                    EventData::create("Odd", "{}", R"({"correlation_id": 7})")}));
  std::vector<std::string> types;
  std::optional<LogPosition> checkpoint;
  for (;;) {
    auto page = store().read_correlated("k-1", checkpoint, 1);
    ASSERT_TRUE(page) << page.error().describe();
    ASSERT_LE(page->size(), 1u);
    if (page->empty()) break;
    checkpoint = page->back().log_position;
    types.push_back(page->front().type);
  }
  EXPECT_EQ(types, (std::vector<std::string>{"Placed", "Charged", "Shipped"}));
  auto numeric = store().read_correlated("7", std::nullopt, 10);
  ASSERT_TRUE(numeric);
  ASSERT_EQ(numeric->size(), 1u);
  EXPECT_EQ(numeric->front().type, "Odd");
  auto none = store().read_correlated("k-404", std::nullopt, 10);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  auto bad_count = store().read_correlated("k-1", std::nullopt, -1);
  ASSERT_FALSE(bad_count);
  EXPECT_EQ(bad_count.error().code(), ErrorCode::invalid_argument);
  auto bad_id = store().read_correlated(std::string{"k\0-1", 4}, std::nullopt, 10);
  ASSERT_FALSE(bad_id);
  EXPECT_EQ(bad_id.error().code(), ErrorCode::invalid_argument);
}

TEST_P(EventStoreConformance, ReadTimeRangePagesThroughEventsOfOneInstant) {
  // The events of one append share their time: the cursor pages through them.
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::no_stream(), make_events(3)));
  ASSERT_TRUE(store().append(stream("order-2"), ExpectedVersion::no_stream(), make_events(2)));
  auto log = whole_log();
  ASSERT_EQ(log.size(), 5u);
  TimeRange range{log.front().created_at, log.back().created_at + std::chrono::microseconds{1}};
  std::vector<RecordedEvent> read;
  std::optional<TimeRangePosition> cursor;
  for (;;) {
    auto page = store().read_time_range(range, cursor, 1);
    ASSERT_TRUE(page) << page.error().describe();
    ASSERT_LE(page->size(), 1u);
    if (page->empty()) break;
    cursor = TimeRangePosition::of(page->back());
    read.insert(read.end(), page->begin(), page->end());
  }
  EXPECT_EQ(ids_of(read), ids_of(log));
  // `to` is excluded.
  auto before_last = store().read_time_range({range.from, log.back().created_at}, std::nullopt, 100);
  ASSERT_TRUE(before_last);
  for (const RecordedEvent& event : *before_last) EXPECT_LT(event.created_at, log.back().created_at);
  auto bad_count = store().read_time_range(range, std::nullopt, 0);
  ASSERT_FALSE(bad_count);
  EXPECT_EQ(bad_count.error().code(), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace eventstore::conformance
