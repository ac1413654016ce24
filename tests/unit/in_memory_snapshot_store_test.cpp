// The test kit's snapshot store keeps the server's rules: versions the
// stream has, JSON state, replacement, how many are kept, shapes apart.
#include "eventstore/testing/in_memory_snapshot_store.hpp"

#include <gtest/gtest.h>

#include "eventstore/testing/in_memory_event_store.hpp"

namespace eventstore {
namespace {

using testing::InMemoryEventStore;
using testing::InMemorySnapshotStore;

StreamName name(const char* text) { return *StreamName::from(text); }

class InMemorySnapshotStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<EventData> events;
    for (int i = 0; i < 6; ++i) events.push_back(EventData::create("Counted", "{\"n\": " + std::to_string(i) + "}"));
    ASSERT_TRUE(store.append(name("counter-1"), ExpectedVersion::no_stream(), events));
  }

  InMemoryEventStore store;
  InMemorySnapshotStore snapshots{store};
};

TEST_F(InMemorySnapshotStoreTest, LoadsTheNewestSnapshotAndTheEventsAfterIt) {
  ASSERT_TRUE(
      snapshots.save_snapshot(name("counter-1"), StreamVersion{1}, R"({"sum": 1})", {.state_schema_version = 1}));
  ASSERT_TRUE(
      snapshots.save_snapshot(name("counter-1"), StreamVersion{3}, R"({"sum":6})", {.state_schema_version = 1}));
  auto loaded = snapshots.load(name("counter-1"), {.state_schema_version = 1, .max_count = 100});
  ASSERT_TRUE(loaded) << loaded.error().describe();
  ASSERT_TRUE(loaded->snapshot);
  EXPECT_EQ(loaded->snapshot->version, StreamVersion{3});
  EXPECT_EQ(loaded->snapshot->state, R"({"sum": 6})");  // normalised as jsonb
  ASSERT_EQ(loaded->events.size(), 2U);
  EXPECT_EQ(loaded->events.front().version, StreamVersion{4});
}

TEST_F(InMemorySnapshotStoreTest, WithoutASnapshotOfTheShapeTheEventsStartAtZero) {
  ASSERT_TRUE(
      snapshots.save_snapshot(name("counter-1"), StreamVersion{3}, R"({"sum": 6})", {.state_schema_version = 2}));
  auto loaded = snapshots.load(name("counter-1"), {.state_schema_version = 1, .max_count = 4});
  ASSERT_TRUE(loaded);
  EXPECT_FALSE(loaded->snapshot);
  ASSERT_EQ(loaded->events.size(), 4U);
  EXPECT_EQ(loaded->events.front().version, StreamVersion{0});
}

TEST_F(InMemorySnapshotStoreTest, AStreamWithoutEventsLoadsEmpty) {
  auto loaded = snapshots.load(name("counter-2"), {.state_schema_version = 1, .max_count = 10});
  ASSERT_TRUE(loaded);
  EXPECT_FALSE(loaded->snapshot);
  EXPECT_TRUE(loaded->events.empty());
}

TEST_F(InMemorySnapshotStoreTest, RefusesVersionsTheStreamDoesNotHave) {
  for (auto version : {StreamVersion{6}, StreamVersion{-1}}) {
    auto saved = snapshots.save_snapshot(name("counter-1"), version, "{}", {.state_schema_version = 1});
    ASSERT_FALSE(saved);
    EXPECT_EQ(saved.error().sqlstate(), "22V10");
  }
  auto no_stream = snapshots.save_snapshot(name("counter-2"), StreamVersion{0}, "{}", {.state_schema_version = 1});
  ASSERT_FALSE(no_stream);
  EXPECT_EQ(no_stream.error().sqlstate(), "22V10");
}

TEST_F(InMemorySnapshotStoreTest, RefusesStateThatIsNotJsonAndBadMaxCounts) {
  auto saved = snapshots.save_snapshot(name("counter-1"), StreamVersion{1}, "{not json", {.state_schema_version = 1});
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error().code(), ErrorCode::invalid_json);
  auto loaded = snapshots.load(name("counter-1"), {.state_schema_version = 1, .max_count = 0});
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code(), ErrorCode::invalid_argument);
}

TEST_F(InMemorySnapshotStoreTest, KeepsTheNewestFewAndReplacesTheSameVersion) {
  InMemorySnapshotStore two{store, {.snapshots_to_keep = 2}};
  for (int version = 0; version < 5; ++version)
    ASSERT_TRUE(two.save_snapshot(name("counter-1"), StreamVersion{version}, "{}", {.state_schema_version = 1}));
  ASSERT_TRUE(
      two.save_snapshot(name("counter-1"), StreamVersion{4}, R"({"again": true})", {.state_schema_version = 1}));
  auto kept = two.snapshots();
  ASSERT_EQ(kept.size(), 2U);
  EXPECT_EQ(kept[0].version, StreamVersion{4});
  EXPECT_EQ(kept[0].state, R"({"again": true})");
  EXPECT_EQ(kept[1].version, StreamVersion{3});
}

}  // namespace
}  // namespace eventstore
