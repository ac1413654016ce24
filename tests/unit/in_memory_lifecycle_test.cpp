// What the in-memory store does beyond the shared conformance suite, where a
// test needs its settings or its clock: max_age against the store's clock,
// the snapshot settings, time ranges, consumer-group hashing.
#include <gtest/gtest.h>

#include <chrono>

#include "eventstore/testing/in_memory_event_store.hpp"

namespace eventstore {
namespace {

using namespace std::chrono_literals;
using testing::InMemoryEventStore;
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

StreamName name(const char* text) { return *StreamName::from(text); }

std::vector<EventData> events(int count) {
  std::vector<EventData> made;
  for (int i = 0; i < count; ++i) made.push_back(EventData::create("Ticked", "{\"n\": " + std::to_string(i) + "}"));
  return made;
}

class InMemoryLifecycleTest : public ::testing::Test {
 protected:
  Timestamp now_{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}};
  InMemoryEventStore store_{{.clock = [this] { return now_; }}};
};

TEST_F(InMemoryLifecycleTest, MaxAgeHidesEventsByTheStoresClock) {
  ASSERT_TRUE(store_.append(name("sensor-1"), ExpectedVersion::no_stream(), events(2)));
  now_ += 48h;
  ASSERT_TRUE(store_.append(name("sensor-1"), ExpectedVersion::any(), events(1)));
  ASSERT_TRUE(store_.set_stream_limits(name("sensor-1"), {.max_age = 24h}));
  auto page = store_.read_stream(name("sensor-1"));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ(page->front().version, StreamVersion{2});
  auto backward = store_.read_stream(name("sensor-1"), {.direction = ReadDirection::backward});
  ASSERT_TRUE(backward);
  EXPECT_EQ(backward->size(), 1u);
  EXPECT_EQ(store_.read_all(std::nullopt, 10)->size(), 1u);
  // Time passes: the last one ages out too.
  now_ += 25h;
  EXPECT_TRUE(store_.read_stream(name("sensor-1"))->empty());
  EXPECT_EQ(store_.reclaim(), 3);
  EXPECT_TRUE(store_.recorded_events().empty());
  EXPECT_EQ(store_.stream_version(name("sensor-1")), StreamVersion{2});
}

TEST_F(InMemoryLifecycleTest, SnapshotSettingsAreTheServersSettings) {
  InMemoryEventStore small{{.snapshots_to_keep = 1, .max_snapshot_size = 64}};
  ASSERT_TRUE(small.append(name("account-1"), ExpectedVersion::no_stream(), events(3)));
  ASSERT_TRUE(small.save_snapshot(name("account-1"), StreamVersion{2}, "{}"));
  ASSERT_TRUE(small.save_snapshot(name("account-1"), StreamVersion{1}, "{}"));
  // Only the one just saved is kept, though it is older.
  auto loaded = small.load(name("account-1"));
  ASSERT_TRUE(loaded && loaded->snapshot);
  EXPECT_EQ(loaded->snapshot->version, StreamVersion{1});
  auto large =
      small.save_snapshot(name("account-1"), StreamVersion{2}, R"({"text": ")" + std::string(100, 'x') + "\"}");
  ASSERT_FALSE(large);
  EXPECT_EQ(large.error().code(), ErrorCode::invalid_snapshot);
  EXPECT_EQ(large.error().sqlstate(), "22V10");
}

TEST_F(InMemoryLifecycleTest, TimeRangesFollowTheClockAndExcludeTheirEnd) {
  ASSERT_TRUE(store_.append(name("order-1"), ExpectedVersion::no_stream(), events(2)));
  Timestamp second = now_ + 1s;
  now_ = second;
  ASSERT_TRUE(store_.append(name("order-2"), ExpectedVersion::no_stream(), events(1)));
  auto first_second = store_.read_time_range({second - 1s, second}, std::nullopt, 10);
  ASSERT_TRUE(first_second);
  EXPECT_EQ(first_second->size(), 2u);
  auto later = store_.read_time_range({second, second + 1s}, std::nullopt, 10);
  ASSERT_TRUE(later);
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ(later->front().stream, name("order-2"));
}

TEST(ConsumerGroupTest, MembersFollowTheServersHash) {
  // 64-bit FNV-1a of "a" is 0xaf63dc4c8601ec8c.
  constexpr std::uint64_t hash_of_a = 0xaf63dc4c8601ec8cULL;
  for (std::int32_t size : {1, 2, 3, 7, 1000})
    EXPECT_EQ(ConsumerGroup::member_for("a", size),
              static_cast<std::int32_t>(hash_of_a % static_cast<std::uint64_t>(size)));
  EXPECT_EQ(ConsumerGroup::member_for("", 7), static_cast<std::int32_t>(14695981039346656037ULL % 7));
}

}  // namespace
}  // namespace eventstore
