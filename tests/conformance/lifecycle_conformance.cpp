// The shared conformance suite: the stream lifecycle (soft delete and
// recreation, tombstones, truncate-before, max_count, stream_state, reclaim),
// honoured by every read.
#include <chrono>

#include "event_store_conformance.hpp"

namespace eventstore::conformance {
namespace {

using Versions = std::vector<std::int64_t>;

Versions stream_versions(FullEventStore& store, const StreamName& name) {
  auto page = store.read_stream(name, {.max_count = 1000});
  EXPECT_TRUE(page) << page.error().describe();
  Versions versions;
  if (page)
    for (const RecordedEvent& event : *page) versions.push_back(event.version.value());
  return versions;
}

Versions log_versions_of(const std::vector<RecordedEvent>& log, const StreamName& name) {
  Versions versions;
  for (const RecordedEvent& event : log)
    if (event.stream == name) versions.push_back(event.version.value());
  return versions;
}

TEST_P(EventStoreConformance, ASoftDeletedStreamReadsAsGoneAndARecreatedOneGoesOn) {
  auto cart = stream("cart-5");
  ASSERT_TRUE(store().append(cart, ExpectedVersion::no_stream(), make_events(2)));
  auto deleted = store().delete_stream(cart, ExpectedVersion::exactly(StreamVersion{1}));
  ASSERT_TRUE(deleted) << deleted.error().describe();
  EXPECT_EQ(*deleted, StreamVersion{1});
  EXPECT_TRUE(stream_versions(store(), cart).empty());
  EXPECT_EQ(store().stream_version(cart), StreamVersion::no_stream());
  EXPECT_TRUE(whole_log().empty());
  // Deleting again changes nothing; an exact version of before is now stale.
  EXPECT_EQ(store().delete_stream(cart), StreamVersion{1});
  auto stale = store().delete_stream(cart, ExpectedVersion::exactly(StreamVersion{1}));
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code(), ErrorCode::wrong_expected_version);
  EXPECT_EQ(stale.error().actual_version(), StreamVersion::no_stream());

  auto reborn = store().append(cart, ExpectedVersion::no_stream(), make_events(1, "Reopened"));
  ASSERT_TRUE(reborn) << reborn.error().describe();
  EXPECT_EQ(reborn->next_expected_version, StreamVersion{2});
  EXPECT_EQ(stream_versions(store(), cart), (Versions{2}));
  EXPECT_EQ(log_versions_of(whole_log(), cart), (Versions{2}));
  auto state = store().stream_state(cart);
  ASSERT_TRUE(state && *state);
  EXPECT_FALSE((*state)->deleted);
  EXPECT_EQ((*state)->truncate_before, StreamVersion{2});
}

TEST_P(EventStoreConformance, DeletingWithAWrongExpectedVersionWritesNothing) {
  auto cart = stream("cart-5");
  ASSERT_TRUE(store().append(cart, ExpectedVersion::no_stream(), make_events(3)));
  auto refused = store().delete_stream(cart, ExpectedVersion::exactly(StreamVersion{0}));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::wrong_expected_version);
  EXPECT_EQ(refused.error().actual_version(), StreamVersion{2});
  auto invalid = store().delete_stream(cart, ExpectedVersion::exactly(StreamVersion{-3}));
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code(), ErrorCode::invalid_expected_version);
  auto tombstone = store().tombstone_stream(cart, ExpectedVersion::no_stream());
  ASSERT_FALSE(tombstone);
  EXPECT_EQ(tombstone.error().code(), ErrorCode::wrong_expected_version);
  EXPECT_EQ(stream_versions(store(), cart), (Versions{0, 1, 2}));
  auto state = store().stream_state(cart);
  ASSERT_TRUE(state && *state);
  EXPECT_FALSE((*state)->deleted);
  EXPECT_FALSE((*state)->tombstoned);
}

TEST_P(EventStoreConformance, DeletingAStreamThatNeverExistedCreatesNothing) {
  EXPECT_EQ(store().delete_stream(stream("cart-404")), StreamVersion::no_stream());
  auto state = store().stream_state(stream("cart-404"));
  ASSERT_TRUE(state) << state.error().describe();
  EXPECT_FALSE(*state);
  auto refused = store().delete_stream(stream("cart-404"), ExpectedVersion::stream_exists());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::wrong_expected_version);
}

TEST_P(EventStoreConformance, ATombstonedStreamIsGoneForGood) {
  auto cart = stream("cart-7");
  ASSERT_TRUE(store().append(cart, ExpectedVersion::no_stream(), make_events(2)));
  ASSERT_TRUE(store().save_snapshot(cart, StreamVersion{1}, "{}"));
  auto tombstoned = store().tombstone_stream(cart, ExpectedVersion::exactly(StreamVersion{1}));
  ASSERT_TRUE(tombstoned) << tombstoned.error().describe();
  EXPECT_EQ(*tombstoned, StreamVersion{1});

  auto expect_deleted = [](const auto& result, const char* call) {
    ASSERT_FALSE(result) << call;
    EXPECT_EQ(result.error().code(), ErrorCode::stream_deleted) << call << ": " << result.error().describe();
    EXPECT_EQ(result.error().sqlstate(), "23V03") << call;
    EXPECT_FALSE(result.error().retryable());
  };
  expect_deleted(store().read_stream(cart), "read_stream");
  expect_deleted(store().stream_version(cart), "stream_version");
  expect_deleted(store().append(cart, ExpectedVersion::any(), make_events(1)), "append any");
  expect_deleted(store().append(cart, ExpectedVersion::no_stream(), make_events(1)), "append no_stream");
  expect_deleted(store().load(cart), "load");
  expect_deleted(store().save_snapshot(cart, StreamVersion{1}, "{}"), "save_snapshot");
  expect_deleted(store().delete_stream(cart), "delete_stream");
  expect_deleted(store().truncate_stream(cart, StreamVersion{1}), "truncate_stream");
  expect_deleted(store().set_stream_limits(cart, {.max_count = 1}), "set_stream_limits");
  // Tombstoning again is a no-op, whatever the expected version.
  EXPECT_EQ(store().tombstone_stream(cart, ExpectedVersion::exactly(StreamVersion{5})), StreamVersion{1});
  EXPECT_TRUE(whole_log().empty());
  auto state = store().stream_state(cart);
  ASSERT_TRUE(state && *state);
  EXPECT_TRUE((*state)->tombstoned);
  EXPECT_EQ((*state)->version, StreamVersion{1});

  // A name never used can be tombstoned too.
  EXPECT_EQ(store().tombstone_stream(stream("cart-never")), StreamVersion::no_stream());
  expect_deleted(store().append(stream("cart-never"), ExpectedVersion::no_stream(), make_events(1)), "append new");
}

TEST_P(EventStoreConformance, TruncationHidesTheVersionsBelowItAndOnlyGrows) {
  auto order = stream("order-9");
  ASSERT_TRUE(store().append(order, ExpectedVersion::no_stream(), make_events(5)));
  ASSERT_TRUE(store().save_snapshot(order, StreamVersion{1}, R"({"at": 1})"));
  auto truncated = store().truncate_stream(order, StreamVersion{3});
  ASSERT_TRUE(truncated) << truncated.error().describe();
  EXPECT_EQ(stream_versions(store(), order), (Versions{3, 4}));
  auto backward = store().read_stream(order, {.direction = ReadDirection::backward});
  ASSERT_TRUE(backward);
  EXPECT_EQ(versions_of(*backward), (Versions{4, 3}));
  EXPECT_EQ(log_versions_of(whole_log(), order), (Versions{3, 4}));
  // The snapshot of a hidden version is not loaded, and none can be saved.
  auto loaded = store().load(order);
  ASSERT_TRUE(loaded);
  EXPECT_FALSE(loaded->snapshot);
  ASSERT_FALSE(loaded->events.empty());
  EXPECT_EQ(loaded->events.front().version, StreamVersion{3});
  auto refused = store().save_snapshot(order, StreamVersion{2}, "{}");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::invalid_snapshot);

  ASSERT_TRUE(store().truncate_stream(order, StreamVersion{1}));
  EXPECT_EQ(stream_versions(store(), order), (Versions{3, 4}));
  auto state = store().stream_state(order);
  ASSERT_TRUE(state && *state);
  EXPECT_EQ((*state)->truncate_before, StreamVersion{3});
  EXPECT_EQ(store().stream_version(order), StreamVersion{4});
}

TEST_P(EventStoreConformance, LifecycleCallsOnMissingStreamsAndBadValuesWriteNothing) {
  auto order = stream("order-9");
  ASSERT_TRUE(store().append(order, ExpectedVersion::no_stream(), make_events(3)));
  auto missing_truncate = store().truncate_stream(stream("order-404"), StreamVersion{1});
  ASSERT_FALSE(missing_truncate);
  EXPECT_EQ(missing_truncate.error().code(), ErrorCode::stream_not_found);
  EXPECT_EQ(missing_truncate.error().sqlstate(), "42704");
  auto missing_limits = store().set_stream_limits(stream("order-404"), {.max_count = 3});
  ASSERT_FALSE(missing_limits);
  EXPECT_EQ(missing_limits.error().code(), ErrorCode::stream_not_found);
  auto state = store().stream_state(stream("order-404"));
  ASSERT_TRUE(state);
  EXPECT_FALSE(*state);

  for (const auto& bad :
       {store().truncate_stream(order, StreamVersion{-1}), store().set_stream_limits(order, {.max_count = 0}),
        store().set_stream_limits(order, {.max_age = std::chrono::microseconds{0}}),
        store().set_stream_limits(order, {.max_age = std::chrono::hours{-1}})}) {
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code(), ErrorCode::invalid_argument) << bad.error().describe();
  }
  auto reclaim = store().reclaim(0);
  ASSERT_FALSE(reclaim);
  EXPECT_EQ(reclaim.error().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(stream_versions(store(), order), (Versions{0, 1, 2}));
  auto unchanged = store().stream_state(order);
  ASSERT_TRUE(unchanged && *unchanged);
  EXPECT_EQ((*unchanged)->truncate_before, StreamVersion{0});
  EXPECT_EQ((*unchanged)->limits, StreamLimits{});
}

TEST_P(EventStoreConformance, MaxCountKeepsTheNewestEvents) {
  auto sensor = stream("sensor-7");
  ASSERT_TRUE(store().append(sensor, ExpectedVersion::no_stream(), make_events(5)));
  ASSERT_TRUE(store().set_stream_limits(sensor, {.max_count = 2, .max_age = std::chrono::hours{24}}));
  EXPECT_EQ(stream_versions(store(), sensor), (Versions{3, 4}));
  ASSERT_TRUE(store().append(sensor, ExpectedVersion::exactly(StreamVersion{4}), make_events(1)));
  EXPECT_EQ(stream_versions(store(), sensor), (Versions{4, 5}));
  EXPECT_EQ(log_versions_of(whole_log(), sensor), (Versions{4, 5}));
  auto state = store().stream_state(sensor);
  ASSERT_TRUE(state && *state);
  EXPECT_EQ((*state)->limits.max_count, 2);
  EXPECT_EQ((*state)->limits.max_age, std::chrono::microseconds{std::chrono::hours{24}});
  EXPECT_EQ((*state)->version, StreamVersion{5});
  // Setting limits sets both: none is no limit.
  ASSERT_TRUE(store().set_stream_limits(sensor, {}));
  EXPECT_EQ(stream_versions(store(), sensor), (Versions{0, 1, 2, 3, 4, 5}));
}

TEST_P(EventStoreConformance, ReclaimDeletesExactlyWhatReadsHide) {
  auto soft = stream("cycle-soft");
  auto hard = stream("cycle-hard");
  auto cut = stream("cycle-cut");
  auto kept = stream("cycle-kept");
  for (const StreamName& name : {soft, hard, cut, kept})
    ASSERT_TRUE(store().append(name, ExpectedVersion::no_stream(), make_events(4)));
  ASSERT_TRUE(store().save_snapshot(cut, StreamVersion{1}, "{}"));
  ASSERT_TRUE(store().save_snapshot(cut, StreamVersion{3}, R"({"at": 3})"));
  ASSERT_TRUE(store().delete_stream(soft));
  ASSERT_TRUE(store().tombstone_stream(hard));
  ASSERT_TRUE(store().truncate_stream(cut, StreamVersion{2}));
  auto visible_before = whole_log();
  ASSERT_EQ(visible_before.size(), 6u);

  auto first = store().reclaim(3);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(*first, 3);
  auto rest = store().reclaim();
  ASSERT_TRUE(rest);
  EXPECT_EQ(*rest, 7);
  EXPECT_EQ(store().reclaim(), 0);

  auto visible_after = whole_log();
  ASSERT_EQ(visible_after.size(), visible_before.size());
  for (std::size_t i = 0; i < visible_after.size(); ++i) EXPECT_EQ(visible_after[i].id, visible_before[i].id);
  EXPECT_EQ(stream_versions(store(), cut), (Versions{2, 3}));
  auto loaded = store().load(cut);
  ASSERT_TRUE(loaded && loaded->snapshot);
  EXPECT_EQ(loaded->snapshot->version, StreamVersion{3});
  // A soft-deleted stream still takes appends after its events were reclaimed.
  auto reborn = store().append(soft, ExpectedVersion::no_stream(), make_events(1));
  ASSERT_TRUE(reborn) << reborn.error().describe();
  EXPECT_EQ(reborn->next_expected_version, StreamVersion{4});
}

TEST_P(EventStoreConformance, ReclaimKeepsRecognisingTheIdsOfTheEventsItDeletes) {
  auto cart = stream("cart-1");
  auto first = make_events(2);
  ASSERT_TRUE(store().append(cart, ExpectedVersion::no_stream(), first));
  // Before reclaim, the same append is a repeat of the hidden one and changes nothing.
  ASSERT_TRUE(store().delete_stream(cart));
  auto repeat = store().append(cart, ExpectedVersion::no_stream(), first);
  ASSERT_TRUE(repeat) << repeat.error().describe();
  EXPECT_EQ(repeat->next_expected_version, StreamVersion{1});
  EXPECT_EQ(store().stream_version(cart), StreamVersion::no_stream());
  // After it too: the ids of reclaimed events are kept, and the retried
  // append returns its original result instead of writing the events again.
  EXPECT_EQ(store().reclaim(), 2);
  auto again = store().append(cart, ExpectedVersion::no_stream(), first);
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->next_expected_version, StreamVersion{1});
  EXPECT_EQ(again->first_position, repeat->first_position);
  EXPECT_EQ(store().stream_version(cart), StreamVersion::no_stream());
  EXPECT_EQ(log_versions_of(whole_log(), cart), Versions{});
  // New events recreate the stream after the reclaimed versions.
  auto fresh = store().append(cart, ExpectedVersion::no_stream(), make_events(1));
  ASSERT_TRUE(fresh) << fresh.error().describe();
  EXPECT_EQ(fresh->next_expected_version, StreamVersion{2});
}

}  // namespace
}  // namespace eventstore::conformance
