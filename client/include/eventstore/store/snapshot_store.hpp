// Snapshots of aggregate state, and loading a stream as "the newest snapshot,
// then the events after it". A separate interface from EventStore, so that a
// store without snapshots still serves the Repository (which then replays
// every event). Implementations: ServerSnapshotStore (the extension's
// save_snapshot and load, one round trip each) and
// testing::InMemorySnapshotStore (over any EventStore, for tests).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/store/loaded_stream.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/stream_name.hpp"
#include "eventstore/store/stream_version.hpp"

namespace eventstore {

class SnapshotStore {
 public:
  virtual ~SnapshotStore() = default;

  // Stores `state_json` as the stream's state at `version` in the shape of
  // `state_schema_version` (the same version and shape again replaces it)
  // and keeps only the newest few snapshots of the stream. The version must
  // be one the stream has.
  [[nodiscard]] virtual Result<void> save_snapshot(const StreamName& stream, StreamVersion version,
                                                   std::string_view state_json, int state_schema_version) = 0;

  // The newest snapshot in `state_schema_version` and up to `max_count`
  // events after it, read at one point in time. Snapshots of other shapes
  // are ignored. A stream without events gives neither.
  [[nodiscard]] virtual Result<LoadedStream> load(const StreamName& stream, int state_schema_version,
                                                  std::int32_t max_count) = 0;

 protected:
  SnapshotStore() = default;
  SnapshotStore(const SnapshotStore&) = default;
  SnapshotStore(SnapshotStore&&) = default;
  SnapshotStore& operator=(const SnapshotStore&) = default;
  SnapshotStore& operator=(SnapshotStore&&) = default;
};

}  // namespace eventstore
