// The whole store: appends and reads, snapshots, and stream administration.
// What the Client and the test kit's InMemoryEventStore are, and what
// decorators (ForwardingEventStore) wrap. Code that needs less takes the
// narrower interface (a Repository takes an EventStore and a SnapshotStore).
#pragma once

#include "eventstore/store/event_store.hpp"
#include "eventstore/store/snapshot_store.hpp"
#include "eventstore/store/stream_administration.hpp"

namespace eventstore {

class FullEventStore : public EventStore, public SnapshotStore, public StreamAdministration {
 public:
  ~FullEventStore() override = default;

 protected:
  FullEventStore() = default;
  FullEventStore(const FullEventStore&) = default;
  FullEventStore(FullEventStore&&) = default;
  FullEventStore& operator=(const FullEventStore&) = default;
  FullEventStore& operator=(FullEventStore&&) = default;
};

}  // namespace eventstore
