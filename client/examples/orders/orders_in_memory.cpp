// The orders sample without a server: the same repository, handlers and
// bus on the test kit's in-memory stores, which keep the server's rules.
// What a unit test of an application does; prints one order's stream.
#include <cstdio>

#include <eventstore/framework.hpp>
#include <eventstore/testing/in_memory_event_store.hpp>
#include <eventstore/testing/in_memory_snapshot_store.hpp>

#include "orders.hpp"

int main() {
  eventstore::testing::InMemoryEventStore store;
  eventstore::testing::InMemorySnapshotStore snapshots{store};
  const auto registry = orders::order_event_types();
  eventstore::Repository<orders::Order> repository{
      store, snapshots, registry, {.snapshots = eventstore::snapshot_every(3)}};
  eventstore::CommandBus bus;
  orders::handle_order_commands(bus, repository);

  bool all_succeeded = bus.send(orders::PlaceOrder{"42", "c-7", "EUR"}).has_value() &&
                       bus.send(orders::AddLine{"42", "BOOK-1", 2, 1250}).has_value() &&
                       bus.send(orders::ConfirmPayment{"42", 2500, "pay-42"}).has_value() &&
                       bus.send(orders::ShipOrder{"42", "DHL"}).has_value();
  auto refused = bus.send(orders::CancelOrder{"42", "too late"});
  std::printf("cancel after shipping: %s\n", refused ? "accepted" : refused.error().describe().c_str());

  // The same stream through the decider-style shipping rules.
  eventstore::Repository<orders::decider::Shipping> shipping{store, registry};
  const orders::ShipOrder again{"42", "UPS"};
  auto shipped_twice = shipping.update("42", [&](const auto& state) { return orders::decider::decide(again, state); });
  std::printf("shipping again: %s\n", shipped_twice ? "accepted" : shipped_twice.error().describe().c_str());

  for (const auto& event : store.recorded_events())
    std::printf("%s v%lld %s %s\n", event.stream.value().c_str(), static_cast<long long>(event.version.value()),
                event.type.c_str(), event.data.c_str());
  auto statistics = repository.statistics();
  std::printf("%llu events appended, %llu snapshots saved\n",
              static_cast<unsigned long long>(statistics.events_appended),
              static_cast<unsigned long long>(statistics.snapshots_saved));
  return all_succeeded && !refused && !shipped_twice ? 0 : 1;
}
