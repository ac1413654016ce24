// The repository on the in-memory stores: loading by replay or from a
// snapshot plus tail, saving with the loaded version, conflicts retried by
// deciding again, metadata on every event, and the snapshot policy.
#include "eventstore/framework/repository.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "../../client/examples/orders/orders.hpp"
#include "eventstore/store/deadline.hpp"
#include "eventstore/testing/in_memory_event_store.hpp"
#include "eventstore/testing/in_memory_snapshot_store.hpp"

namespace eventstore {
namespace {

using orders::AddLine;
using orders::LineAdded;
using orders::Order;
using orders::OrderPlaced;
using orders::OrderStatus;
using orders::PlaceOrder;
using testing::InMemoryEventStore;
using testing::InMemorySnapshotStore;

StreamName name(const std::string& text) { return *StreamName::from(text); }

class RepositoryTest : public ::testing::Test {
 protected:
  // Places order `id` and adds `lines` lines of one unit each, one command at a time.
  void place_with_lines(Repository<Order>& repository, const std::string& id, int lines) {
    ASSERT_TRUE(repository.update(id, [&](const Order& order) { return order.place(PlaceOrder{id, "c-7", "EUR"}); }));
    for (int line = 0; line < lines; ++line) {
      AddLine command{id, "SKU-" + std::to_string(line), 1, 100};
      auto added = repository.update(id, [&](const Order& order) { return order.add_line(command); });
      ASSERT_TRUE(added) << added.error().describe();
    }
  }

  EventTypeRegistry registry = orders::order_event_types();
  InMemoryEventStore store;
};

TEST_F(RepositoryTest, AnAggregateWithoutEventsLoadsEmpty) {
  Repository<Order> repository{store, registry};
  auto order = repository.load("42");
  ASSERT_TRUE(order) << order.error().describe();
  EXPECT_FALSE(order->exists());
  EXPECT_EQ(order->version, StreamVersion::no_stream());
  EXPECT_EQ(order->stream.value(), "order-42");
  EXPECT_EQ(order->state.status, OrderStatus::none);
}

TEST_F(RepositoryTest, UpdateDecidesAndAppendsAtTheLoadedVersion) {
  Repository<Order> repository{store, registry};
  auto placed = repository.update("42", [](const Order& order) { return order.place({"42", "c-7", "EUR"}); });
  ASSERT_TRUE(placed) << placed.error().describe();
  EXPECT_EQ(placed->stream, "order-42");
  EXPECT_EQ(placed->version, StreamVersion{0});
  EXPECT_EQ(placed->event_types, std::vector<std::string>{"OrderPlaced"});
  EXPECT_EQ(placed->conflicts, 0);

  auto added = repository.update("42", [](const Order& order) { return order.add_line({"42", "A-1", 2, 150}); });
  ASSERT_TRUE(added) << added.error().describe();
  EXPECT_EQ(added->version, StreamVersion{1});

  auto order = repository.load("42");
  ASSERT_TRUE(order);
  EXPECT_EQ(order->version, StreamVersion{1});
  EXPECT_EQ(order->state.total_cents(), 300);
  EXPECT_EQ(order->state.customer, "c-7");
}

TEST_F(RepositoryTest, ARejectionWritesNothing) {
  Repository<Order> repository{store, registry};
  auto shipped = repository.update("42", [](const Order& order) { return order.ship({"42", "DHL"}); });
  ASSERT_FALSE(shipped);
  EXPECT_EQ(shipped.error().kind(), CommandErrorKind::rejected);
  EXPECT_EQ(shipped.error().message(), "order does not exist");
  EXPECT_TRUE(store.recorded_events().empty());
}

TEST_F(RepositoryTest, ADecisionOfNothingWritesNothingAndSucceeds) {
  Repository<Order> repository{store, registry};
  auto outcome = repository.update("42", [](const Order&) { return Decision<OrderPlaced>::nothing(); });
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->event_types.empty());
  EXPECT_TRUE(store.recorded_events().empty());
}

TEST_F(RepositoryTest, SeveralEventsOfOneDecisionAreOneAppend) {
  Repository<Order> repository{store, registry};
  auto outcome = repository.update("42", [](const Order&) {
    return Decision<OrderPlaced, LineAdded>{{OrderPlaced{"c", "EUR"}, LineAdded{"A", 1, 5}, LineAdded{"B", 2, 5}}};
  });
  ASSERT_TRUE(outcome) << outcome.error().describe();
  EXPECT_EQ(outcome->version, StreamVersion{2});
  EXPECT_EQ(outcome->event_types, (std::vector<std::string>{"OrderPlaced", "LineAdded", "LineAdded"}));
  auto events = store.recorded_events();
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events[0].log_position.transaction_id, events[2].log_position.transaction_id);
}

TEST_F(RepositoryTest, EveryEventCarriesTheCommandsMetadata) {
  Repository<Order> repository{store, registry};
  CommandContext context{.command_id = "command-1",
                         .correlation_id = "conversation-9",
                         .traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"};
  {
    CommandContextScope scope{context};
    ASSERT_TRUE(repository.update("42", [](const Order& order) { return order.place({"42", "c", "EUR"}); }));
  }
  ASSERT_TRUE(repository.update("42", [](const Order& order) { return order.add_line({"42", "A", 1, 5}); }));

  auto events = store.recorded_events();
  ASSERT_EQ(events.size(), 2U);
  auto first = EventMetadata::parse(events[0].metadata);
  EXPECT_EQ(first.command_id, "command-1");
  EXPECT_EQ(first.correlation_id, "conversation-9");
  EXPECT_EQ(first.causation_id, "command-1");
  EXPECT_EQ(first.traceparent, context.traceparent);
  EXPECT_EQ(first.schema_version, 1);
  // Outside a command, the update is a command of its own.
  auto second = EventMetadata::parse(events[1].metadata);
  EXPECT_FALSE(second.command_id.empty());
  EXPECT_NE(second.command_id, "command-1");
  EXPECT_EQ(second.correlation_id, second.command_id);
  EXPECT_EQ(second.schema_version, 3);
}

TEST_F(RepositoryTest, AConflictIsRetriedByDecidingAgainOnTheNewState) {
  Repository<Order> repository{store, registry};
  place_with_lines(repository, "42", 0);
  int decisions = 0;
  auto outcome = repository.update("42", [&](const Order& order) {
    ++decisions;
    if (decisions == 1) {
      // Another writer appends between this load and its append.
      EXPECT_TRUE(store.append(name("order-42"), ExpectedVersion::exactly(StreamVersion{0}),
                               EventData::create("LineAdded", R"({"sku": "B", "quantity": 1, "unit_price_cents": 7})",
                                                 R"({"schema_version": 3})")));
    }
    return order.add_line({"42", "A", 1, 5});
  });
  ASSERT_TRUE(outcome) << outcome.error().describe();
  EXPECT_EQ(decisions, 2);
  EXPECT_EQ(outcome->conflicts, 1);
  EXPECT_EQ(outcome->version, StreamVersion{2});
  EXPECT_EQ(repository.statistics().conflicts, 1U);
  auto order = repository.load("42");
  ASSERT_TRUE(order);
  EXPECT_EQ(order->state.total_cents(), 12);
}

TEST_F(RepositoryTest, ConflictRetriesAreBounded) {
  Repository<Order> repository{store, registry, {.conflicts = {.max_attempts = 3}}};
  place_with_lines(repository, "42", 0);
  int decisions = 0;
  auto outcome = repository.update("42", [&](const Order& order) {
    ++decisions;
    EXPECT_TRUE(
        store.append(name("order-42"), ExpectedVersion::any(), EventData::create("LineRemoved", R"({"sku": "none"})")));
    return order.add_line({"42", "A", 1, 5});
  });
  ASSERT_FALSE(outcome);
  EXPECT_EQ(decisions, 3);
  EXPECT_EQ(outcome.error().kind(), CommandErrorKind::store_error);
  EXPECT_EQ(outcome.error().store_error()->code(), ErrorCode::wrong_expected_version);
  EXPECT_FALSE(outcome.error().retryable());
  EXPECT_EQ(repository.statistics().conflicts, 3U);
  EXPECT_EQ(repository.statistics().conflict_retries_exhausted, 1U);
}

TEST_F(RepositoryTest, ConcurrentUpdatesOfOneAggregateAllLand) {
  Repository<Order> repository{store, registry, {.conflicts = {.max_attempts = 100}}};
  place_with_lines(repository, "hot", 0);
  constexpr int threads = 4;
  constexpr int updates = 50;
  {
    std::vector<std::jthread> workers;
    for (int thread = 0; thread < threads; ++thread)
      workers.emplace_back([&, thread] {
        for (int i = 0; i < updates; ++i) {
          AddLine command{"hot", "SKU-" + std::to_string(thread), 1, 10};
          auto outcome = repository.update("hot", [&](const Order& order) { return order.add_line(command); });
          EXPECT_TRUE(outcome) << outcome.error().describe();
        }
      });
  }
  auto order = repository.load("hot");
  ASSERT_TRUE(order);
  EXPECT_EQ(order->version, StreamVersion{threads * updates});
  EXPECT_EQ(order->state.total_cents(), threads * updates * 10);
}

TEST_F(RepositoryTest, SnapshotsAreSavedEveryNEventsAndLoadedWithTheTail) {
  InMemorySnapshotStore snapshots{store};
  Repository<Order> repository{store, snapshots, registry, {.snapshots = snapshot_every(5)}};
  place_with_lines(repository, "42", 11);  // versions 0 .. 11
  // Saves at version 4 (5 events), then 9.
  EXPECT_EQ(snapshots.saved_count(), 2U);
  EXPECT_EQ(repository.statistics().snapshots_saved, 2U);

  auto before = repository.statistics();
  auto order = repository.load("42");
  ASSERT_TRUE(order) << order.error().describe();
  EXPECT_EQ(order->snapshot_version, StreamVersion{9});
  EXPECT_EQ(order->version, StreamVersion{11});
  EXPECT_EQ(order->state.lines.size(), 11U);
  auto after = repository.statistics();
  EXPECT_EQ(after.loads_from_snapshot - before.loads_from_snapshot, 1U);
  EXPECT_EQ(after.events_replayed - before.events_replayed, 2U);

  Repository<Order> replaying{store, registry};
  auto replayed = replaying.load("42");
  ASSERT_TRUE(replayed);
  EXPECT_EQ(replayed->state, order->state);
  EXPECT_FALSE(replayed->snapshot_version);
}

TEST_F(RepositoryTest, ASnapshotOfAnotherShapeIsIgnored) {
  InMemorySnapshotStore snapshots{store};
  Repository<Order> repository{store, snapshots, registry, {.snapshots = snapshot_every(2)}};
  place_with_lines(repository, "42", 3);
  ASSERT_TRUE(snapshots.save_snapshot(name("order-42"), StreamVersion{3}, R"({"from": "a later program"})",
                                      {.state_schema_version = 2}));
  auto order = repository.load("42");
  ASSERT_TRUE(order);
  EXPECT_EQ(order->snapshot_version, StreamVersion{3});
  EXPECT_EQ(order->state.lines.size(), 3U);
}

TEST_F(RepositoryTest, AnUnreadableSnapshotFallsBackToReplay) {
  InMemorySnapshotStore snapshots{store};
  Repository<Order> repository{store, snapshots, registry, {.snapshots = no_snapshots()}};
  place_with_lines(repository, "42", 2);
  ASSERT_TRUE(
      snapshots.save_snapshot(name("order-42"), StreamVersion{2}, R"({"status": 17})", {.state_schema_version = 1}));
  auto order = repository.load("42");
  ASSERT_TRUE(order) << order.error().describe();
  EXPECT_FALSE(order->snapshot_version);
  EXPECT_EQ(order->version, StreamVersion{2});
  EXPECT_EQ(order->state.lines.size(), 2U);
  EXPECT_EQ(repository.statistics().unreadable_snapshots, 1U);
}

TEST_F(RepositoryTest, ReplayContinuesPastOnePage) {
  InMemorySnapshotStore snapshots{store};
  Repository<Order> paged{store, snapshots, registry, {.snapshots = snapshot_every(1000), .page_size = 4}};
  place_with_lines(paged, "42", 9);
  auto order = paged.load("42");
  ASSERT_TRUE(order);
  EXPECT_EQ(order->version, StreamVersion{9});
  EXPECT_EQ(order->state.lines.size(), 9U);

  Repository<Order> replaying{store, registry, {.page_size = 2}};
  auto replayed = replaying.load("42");
  ASSERT_TRUE(replayed);
  EXPECT_EQ(replayed->state, order->state);
}

TEST_F(RepositoryTest, OldEventsInTheStreamAreUpcast) {
  ASSERT_TRUE(store.append(name("order-7"), ExpectedVersion::no_stream(),
                           std::vector{EventData::create("OrderPlaced", R"({"customer": "c", "currency": "EUR"})"),
                                       EventData::create("LineAdded", R"({"sku": "A", "qty": 2, "price": 1.25})"),
                                       EventData::create("LineAdded", R"({"sku": "B", "quantity": 1, "price": 3})",
                                                         R"({"schema_version": 2})")}));
  Repository<Order> repository{store, registry};
  auto order = repository.load("7");
  ASSERT_TRUE(order) << order.error().describe();
  EXPECT_EQ(order->state.total_cents(), 550);
}

TEST_F(RepositoryTest, AnEventTheAggregateDoesNotApplyIsAnError) {
  ASSERT_TRUE(store.append(name("order-7"), ExpectedVersion::no_stream(), EventData::create("GiftWrapped", "{}")));
  Repository<Order> repository{store, registry};
  auto order = repository.load("7");
  ASSERT_FALSE(order);
  EXPECT_EQ(order.error().kind(), CommandErrorKind::event_not_readable);
  EXPECT_NE(order.error().message().find("GiftWrapped"), std::string::npos) << order.error().message();
}

TEST_F(RepositoryTest, AnUnregisteredEventTypeCannotBeSaved) {
  EventTypeRegistry partial;
  partial.add<OrderPlaced>("OrderPlaced");
  Repository<Order> repository{store, partial};
  auto outcome = repository.update("1", [](const Order&) { return Decision<LineAdded>{LineAdded{"A", 1, 1}}; });
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().kind(), CommandErrorKind::event_type_not_registered);
  EXPECT_TRUE(store.recorded_events().empty());
}

TEST_F(RepositoryTest, AnAggregateIdMustMakeAValidStreamName) {
  Repository<Order> repository{store, registry};
  auto empty = repository.load("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().store_error()->code(), ErrorCode::invalid_stream_name);
  auto control = repository.load("a\nb");
  ASSERT_FALSE(control);
  EXPECT_EQ(control.error().store_error()->code(), ErrorCode::invalid_stream_name);
  Repository<Order> recategorised{store, registry, {.category = "purchase"}};
  EXPECT_EQ(recategorised.stream_for("1")->value(), "purchase-1");
}

TEST_F(RepositoryTest, APassedDeadlineStopsTheUpdateBeforeItLoads) {
  Repository<Order> repository{store, registry};
  DeadlineScope scope{Deadline::clock::now() - std::chrono::milliseconds{1}};
  auto outcome = repository.update("42", [](const Order& order) { return order.place({"42", "c", "EUR"}); });
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().store_error()->code(), ErrorCode::timeout);
  EXPECT_TRUE(outcome.error().retryable());
}

// The decider style: plain state, free evolve() and decide().
struct CounterIncremented {
  int by = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CounterIncremented, by)

struct Counter {
  using Event = std::variant<CounterIncremented>;
  static constexpr std::string_view category = "counter";
  int value = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Counter, value)

Counter evolve(const Counter& counter, const CounterIncremented& event) { return Counter{counter.value + event.by}; }

Decision<CounterIncremented> decide(int by, const Counter& counter) {
  if (counter.value + by > 10) return reject("counter would pass 10");
  return CounterIncremented{by};
}

TEST_F(RepositoryTest, DeciderStyleAggregatesWorkToo) {
  EventTypeRegistry counters;
  counters.add<CounterIncremented>("CounterIncremented");
  InMemorySnapshotStore snapshots{store};
  Repository<Counter> repository{store, snapshots, counters, {.snapshots = snapshot_every(2)}};
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(repository.update("c", [](const Counter& c) { return decide(3, c); }));
  auto refused = repository.update("c", [](const Counter& c) { return decide(3, c); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message(), "counter would pass 10");
  auto counter = repository.load("c");
  ASSERT_TRUE(counter);
  EXPECT_EQ(counter->state.value, 9);
  EXPECT_EQ(counter->snapshot_version, StreamVersion{1});
}

}  // namespace
}  // namespace eventstore
