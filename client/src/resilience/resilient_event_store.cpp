#include "eventstore/resilience/resilient_event_store.hpp"

#include <utility>

namespace eventstore {

ResilientEventStore::ResilientEventStore(FullEventStore& store, ResiliencePolicy policy)
    : ForwardingEventStore(store), policy_(std::move(policy)) {}

Result<void> ResilientEventStore::around(const ForwardedCall& /*call*/, const ForwardedAttempt& attempt) {
  return policy_.call([&] { return attempt(); });
}

}  // namespace eventstore
