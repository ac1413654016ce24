// A store that sends every call of another store (appends, reads,
// snapshots, administration) through a
// ResiliencePolicy (retry, circuit breaker, bulkhead), so that repositories,
// command handlers and projections get resilience without knowing of it:
//
//   auto client = eventstore::Client::connect(dsn);
//   eventstore::ResilientEventStore store{*client, eventstore::ResiliencePolicy::standard()};
//   auto appended = store.append(order, eventstore::ExpectedVersion::exactly(version), events);
//
// Appends are retried safely: a repeated append with the same event ids
// returns the original result and writes nothing. The lazy stream() range
// reads its pages through the policy as well. The wrapped store must outlive
// this one; whether calls may come from several threads at once is the
// wrapped store's business.
#pragma once

#include "eventstore/resilience/resilience_policy.hpp"
#include "eventstore/store/forwarding_event_store.hpp"

namespace eventstore {

class ResilientEventStore : public ForwardingEventStore {
 public:
  ResilientEventStore(FullEventStore& store, ResiliencePolicy policy);

  [[nodiscard]] const ResiliencePolicy& policy() const noexcept { return policy_; }

 protected:
  // Every call, whichever it is, runs through the policy.
  [[nodiscard]] Result<void> around(const ForwardedCall& call, const ForwardedAttempt& attempt) override;

 private:
  ResiliencePolicy policy_;
};

}  // namespace eventstore
