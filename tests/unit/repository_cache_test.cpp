// The repository's aggregate cache on the in-memory stores: a hit makes no
// round trip, a stale entry (another writer was first) costs one conflict
// retry and never a lost update, the capacity holds, failed saves drop their
// entry, and concurrent commands on one aggregate all count.
#include "eventstore/framework/repository.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "../../client/examples/orders/orders.hpp"
#include "eventstore/testing/in_memory_event_store.hpp"
#include "eventstore/testing/in_memory_snapshot_store.hpp"

namespace eventstore {
namespace {

using orders::AddLine;
using orders::Order;
using orders::PlaceOrder;
using testing::InMemoryEventStore;
using testing::InMemorySnapshotStore;

// The snapshot store the repository loads through, counting the loads: each
// one is a round trip to the server in production.
class CountingSnapshotStore final : public SnapshotStore {
 public:
  explicit CountingSnapshotStore(EventStore& events) : snapshots_(events) {}

  std::atomic<int> loads{0};

 protected:
  [[nodiscard]] Result<void> do_save_snapshot(const StreamName& stream, StreamVersion version,
                                              std::string_view state_json,
                                              const SaveSnapshotOptions& options) override {
    return snapshots_.save_snapshot(stream, version, state_json, options);
  }
  [[nodiscard]] Result<LoadedStream> do_load(const StreamName& stream, const LoadOptions& options) override {
    loads.fetch_add(1);
    return snapshots_.load(stream, options);
  }

 private:
  InMemorySnapshotStore snapshots_;
};

StreamName name(const std::string& text) { return *StreamName::from(text); }

EventData line_added(const std::string& sku, int price) {
  return EventData::create(
      "LineAdded", R"({"sku": ")" + sku + R"(", "quantity": 1, "unit_price_cents": )" + std::to_string(price) + "}",
      R"({"schema_version": 3})");
}

class RepositoryCacheTest : public ::testing::Test {
 protected:
  [[nodiscard]] static RepositoryOptions cached(std::size_t capacity) {
    return {.snapshots = snapshot_every(5), .cache = {.capacity = capacity}};
  }

  static void place(Repository<Order>& repository, const std::string& id) {
    auto placed = repository.update(id, [&](const Order& order) { return order.place(PlaceOrder{id, "c-7", "EUR"}); });
    ASSERT_TRUE(placed) << placed.error().describe();
  }

  static CommandResult<CommandOutcome> add(Repository<Order>& repository, const std::string& id, const std::string& sku,
                                           std::int64_t price = 100) {
    return repository.update(id, [&](const Order& order) { return order.add_line(AddLine{id, sku, 1, price}); });
  }

  EventTypeRegistry registry = orders::order_event_types();
  InMemoryEventStore store;
  CountingSnapshotStore snapshots{store};
};

TEST_F(RepositoryCacheTest, IsOffByDefault) {
  Repository<Order> repository{store, snapshots, registry};
  place(repository, "42");
  ASSERT_TRUE(add(repository, "42", "A"));
  EXPECT_EQ(snapshots.loads, 2);
  EXPECT_EQ(repository.cached_aggregates(), 0U);
  auto statistics = repository.statistics();
  EXPECT_EQ(statistics.cache_hits, 0U);
  EXPECT_EQ(statistics.cache_misses, 0U);
}

TEST_F(RepositoryCacheTest, AHitMakesNoRoundTripAndSavesAtTheCachedVersion) {
  Repository<Order> repository{store, snapshots, registry, cached(100)};
  place(repository, "42");  // a miss: the order does not exist yet
  EXPECT_EQ(snapshots.loads, 1);

  for (int line = 0; line < 3; ++line) {
    auto added = add(repository, "42", "SKU-" + std::to_string(line));
    ASSERT_TRUE(added) << added.error().describe();
    EXPECT_EQ(added->version, StreamVersion{line + 1});
  }
  EXPECT_EQ(snapshots.loads, 1) << "every load after the first comes from the cache";

  auto order = repository.load("42");
  ASSERT_TRUE(order);
  EXPECT_EQ(order->version, StreamVersion{3});
  EXPECT_EQ(order->state.total_cents(), 300);
  EXPECT_EQ(snapshots.loads, 1);

  auto statistics = repository.statistics();
  EXPECT_EQ(statistics.cache_hits, 4U);
  EXPECT_EQ(statistics.cache_misses, 1U);
  EXPECT_EQ(statistics.conflicts, 0U);
  EXPECT_EQ(store.recorded_events().size(), 4U);
}

TEST_F(RepositoryCacheTest, EachLoadGetsItsOwnCopy) {
  Repository<Order> repository{store, snapshots, registry, cached(100)};
  place(repository, "42");
  auto first = repository.load("42");
  ASSERT_TRUE(first);
  first->state.customer = "changed by its holder";
  first->version = StreamVersion{17};
  auto second = repository.load("42");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->state.customer, "c-7");
  EXPECT_EQ(second->version, StreamVersion{0});
}

// The cache is only safe because the save appends at the version the state
// was cached at. Another writer appends behind the cache's back: the next
// command decides on the stale state (the hit), its append must fail, and
// the retry must decide again on the store's state. Were the save to take
// the expected version from anywhere but the cached entry, the first
// decision would be written and the conflict counts below would be 0.
TEST_F(RepositoryCacheTest, AStaleEntryIsCaughtByTheAppendAndRetriedFromTheStore) {
  Repository<Order> repository{store, snapshots, registry, cached(100)};
  place(repository, "42");
  ASSERT_TRUE(add(repository, "42", "A", 100));
  const int loads_before = snapshots.loads;

  // Another process: version 2, unknown to this repository's cache.
  ASSERT_TRUE(store.append(name("order-42"), ExpectedVersion::exactly(StreamVersion{1}), line_added("B", 50)));

  std::vector<std::int64_t> totals_decided_on;
  auto outcome = repository.update("42", [&](const Order& order) {
    totals_decided_on.push_back(order.total_cents());
    return order.add_line(AddLine{"42", "C", 1, 7});
  });
  ASSERT_TRUE(outcome) << outcome.error().describe();
  EXPECT_EQ(totals_decided_on, (std::vector<std::int64_t>{100, 150})) << "stale state first, then the store's";
  EXPECT_EQ(outcome->conflicts, 1);
  EXPECT_EQ(outcome->version, StreamVersion{3});
  EXPECT_EQ(snapshots.loads, loads_before + 1) << "only the retry goes to the store";

  auto statistics = repository.statistics();
  EXPECT_EQ(statistics.conflicts, 1U);
  EXPECT_EQ(statistics.cache_invalidations, 1U);

  // The store and the cache agree: no event of the stale decision was written.
  auto events = store.recorded_events();
  ASSERT_EQ(events.size(), 4U);
  Repository<Order> uncached{store, registry};
  auto truth = uncached.load("42");
  auto remembered = repository.load("42");
  ASSERT_TRUE(truth);
  ASSERT_TRUE(remembered);
  EXPECT_EQ(remembered->version, truth->version);
  EXPECT_EQ(remembered->state.total_cents(), truth->state.total_cents());
  EXPECT_EQ(truth->state.total_cents(), 157);
}

// Two repositories with caches of their own, as two processes: each one's
// commands see the other's events, at the cost of a conflict retry.
TEST_F(RepositoryCacheTest, TwoCachingWritersLoseNoUpdate) {
  CountingSnapshotStore other_snapshots{store};
  Repository<Order> first{store, snapshots, registry, cached(100)};
  Repository<Order> second{store, other_snapshots, registry, cached(100)};
  place(first, "42");
  std::int64_t expected_total = 0;
  for (int round = 0; round < 10; ++round) {
    Repository<Order>& writer = round % 2 == 0 ? first : second;
    auto added = add(writer, "42", "SKU-" + std::to_string(round), round + 1);
    ASSERT_TRUE(added) << added.error().describe();
    expected_total += round + 1;
  }
  Repository<Order> uncached{store, registry};
  auto order = uncached.load("42");
  ASSERT_TRUE(order);
  EXPECT_EQ(order->state.total_cents(), expected_total);
  EXPECT_EQ(order->state.lines.size(), 10U);
  // Every command after the first two met the other writer's event.
  EXPECT_EQ(first.statistics().conflicts + second.statistics().conflicts, 8U);
  // A load alone does not ask the store: the first writer's entry is one event behind.
  auto remembered = first.load("42");
  ASSERT_TRUE(remembered);
  EXPECT_EQ(remembered->version, StreamVersion{9});
  EXPECT_EQ(order->version, StreamVersion{10});
}

TEST_F(RepositoryCacheTest, TheLeastRecentlyUsedAggregateMakesRoomAtTheCapacity) {
  Repository<Order> repository{store, snapshots, registry, cached(2)};
  place(repository, "1");
  place(repository, "2");
  ASSERT_TRUE(add(repository, "1", "A"));  // 1 is now the most recently used
  place(repository, "3");                  // 2 gives way
  EXPECT_EQ(repository.cached_aggregates(), 2U);
  EXPECT_EQ(repository.statistics().cache_evictions, 1U);

  const int loads_before = snapshots.loads;
  ASSERT_TRUE(repository.load("1"));
  ASSERT_TRUE(repository.load("3"));
  EXPECT_EQ(snapshots.loads, loads_before);
  auto two = repository.load("2");
  ASSERT_TRUE(two);
  EXPECT_EQ(snapshots.loads, loads_before + 1);
  EXPECT_EQ(two->version, StreamVersion{0});
  EXPECT_EQ(repository.cached_aggregates(), 2U);
}

TEST_F(RepositoryCacheTest, ALargeCacheStaysWithinItsCapacity) {
  Repository<Order> repository{store, snapshots, registry, cached(1000)};
  for (int order = 0; order < 3000; ++order) place(repository, std::to_string(order));
  EXPECT_LE(repository.cached_aggregates(), 1000U);
  EXPECT_GE(repository.cached_aggregates(), 900U);
  EXPECT_EQ(repository.statistics().cache_evictions, 3000U - repository.cached_aggregates());
}

TEST_F(RepositoryCacheTest, AnAggregateWithoutEventsIsNotKept) {
  Repository<Order> repository{store, snapshots, registry, cached(100)};
  ASSERT_TRUE(repository.load("nobody"));
  EXPECT_EQ(repository.cached_aggregates(), 0U);
}

TEST_F(RepositoryCacheTest, ADeletedStreamDropsItsEntry) {
  Repository<Order> repository{store, snapshots, registry, cached(100)};
  place(repository, "42");
  ASSERT_EQ(repository.cached_aggregates(), 1U);
  ASSERT_TRUE(store.tombstone_stream(name("order-42")));

  auto added = add(repository, "42", "A");
  ASSERT_FALSE(added);
  ASSERT_TRUE(added.error().store_error());
  EXPECT_EQ(added.error().store_error()->code(), ErrorCode::stream_deleted);
  EXPECT_EQ(repository.cached_aggregates(), 0U);
  EXPECT_EQ(repository.statistics().cache_invalidations, 1U);
  const int loads_before = snapshots.loads;
  EXPECT_FALSE(repository.load("42"));
  EXPECT_EQ(snapshots.loads, loads_before + 1) << "the next load asks the store";
}

// A soft-deleted stream shows no version: the cached one no longer matches,
// and the command decides again on the store's state (no order at all).
TEST_F(RepositoryCacheTest, ASoftDeletedStreamIsNotBroughtBackByItsEntry) {
  Repository<Order> repository{store, snapshots, registry, cached(100)};
  place(repository, "42");
  ASSERT_TRUE(store.delete_stream(name("order-42")));

  auto added = add(repository, "42", "A");
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().kind(), CommandErrorKind::rejected);
  EXPECT_EQ(added.error().message(), "order does not exist");
  EXPECT_EQ(repository.statistics().conflicts, 1U);
  EXPECT_EQ(store.recorded_events().size(), 1U);
}

TEST_F(RepositoryCacheTest, ConcurrentCommandsOnOneAggregateAllCount) {
  Repository<Order> repository{
      store,
      snapshots,
      registry,
      {.snapshots = snapshot_every(5), .conflicts = {.max_attempts = 1000}, .cache = {.capacity = 16}}};
  place(repository, "hot");
  constexpr int threads = 8;
  constexpr int lines_each = 25;
  std::atomic<int> failures{0};
  {
    std::vector<std::jthread> writers;
    for (int thread = 0; thread < threads; ++thread)
      writers.emplace_back([&, thread] {
        for (int line = 0; line < lines_each; ++line)
          if (!add(repository, "hot", "T" + std::to_string(thread) + "-" + std::to_string(line), thread + 1))
            failures.fetch_add(1);
      });
  }
  EXPECT_EQ(failures, 0);
  // What the same commands one after another make.
  std::int64_t expected_total = 0;
  for (int thread = 0; thread < threads; ++thread) expected_total += lines_each * (thread + 1);

  Repository<Order> uncached{store, registry};
  auto truth = uncached.load("hot");
  auto remembered = repository.load("hot");
  ASSERT_TRUE(truth);
  ASSERT_TRUE(remembered);
  EXPECT_EQ(truth->version, StreamVersion{threads * lines_each});
  EXPECT_EQ(truth->state.lines.size(), static_cast<std::size_t>(threads * lines_each));
  EXPECT_EQ(truth->state.total_cents(), expected_total);
  EXPECT_EQ(remembered->version, truth->version);
  EXPECT_EQ(remembered->state.total_cents(), expected_total);
}

}  // namespace
}  // namespace eventstore
