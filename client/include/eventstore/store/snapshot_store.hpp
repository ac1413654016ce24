// Snapshots of aggregate state, and loading a stream as "the newest snapshot,
// then the events after it". An interface of its own, so that a store without
// snapshots still serves the Repository (which then replays every event).
// Implemented by the Client (the extension's save_snapshot and load, one
// round trip each), the test kit's InMemoryEventStore, and
// testing::InMemorySnapshotStore (snapshots in memory over any EventStore).
#pragma once

#include <string_view>

#include "eventstore/store/loaded_stream.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/stream_name.hpp"
#include "eventstore/store/stream_version.hpp"

namespace eventstore {

class SnapshotStore {
 public:
  virtual ~SnapshotStore() = default;

  // Stores `state_json` as the stream's state at `version` in the shape of
  // options.state_schema_version (the same version and shape again replaces
  // it), then keeps the newest options.keep snapshots. invalid_snapshot
  // unless the stream shows `version`.
  [[nodiscard]] Result<void> save_snapshot(const StreamName& stream, StreamVersion version, std::string_view state_json,
                                           const SaveSnapshotOptions& options = {}) {
    return do_save_snapshot(stream, version, state_json, options);
  }

  // The newest snapshot of options.state_schema_version the stream still
  // shows, and up to options.max_count events after it. Snapshots of other
  // shapes are ignored; a stream without events gives neither.
  [[nodiscard]] Result<LoadedStream> load(const StreamName& stream, const LoadOptions& options = {}) {
    return do_load(stream, options);
  }

 protected:
  SnapshotStore() = default;
  SnapshotStore(const SnapshotStore&) = default;
  SnapshotStore(SnapshotStore&&) = default;
  SnapshotStore& operator=(const SnapshotStore&) = default;
  SnapshotStore& operator=(SnapshotStore&&) = default;

  [[nodiscard]] virtual Result<void> do_save_snapshot(const StreamName& stream, StreamVersion version,
                                                      std::string_view state_json,
                                                      const SaveSnapshotOptions& options) = 0;
  [[nodiscard]] virtual Result<LoadedStream> do_load(const StreamName& stream, const LoadOptions& options) = 0;

  friend class ForwardingEventStore;
};

}  // namespace eventstore
