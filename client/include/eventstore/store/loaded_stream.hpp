// Snapshots of aggregate state, and a stream loaded as "the newest snapshot,
// then the events after it" (EventStore::save_snapshot and EventStore::load).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "eventstore/store/recorded_event.hpp"
#include "eventstore/store/stream_version.hpp"

namespace eventstore {

struct Snapshot {
  // The version of the stream's last event the state includes.
  StreamVersion version;
  // The state as JSON text.
  std::string state;
  std::chrono::sys_time<std::chrono::microseconds> created_at;
};

struct LoadedStream {
  // The newest snapshot of the asked state schema version, if there is one.
  std::optional<Snapshot> snapshot;
  // The events after the snapshot (from the stream's first visible event
  // without one), at most max_count of them. When there are max_count, more
  // may follow: continue with read_stream from the next version.
  std::vector<RecordedEvent> events;
};

struct SaveSnapshotOptions {
  // The shape of the state; raise it whenever the aggregate's state changes shape.
  std::int32_t state_schema_version = 1;
  // Snapshots kept per stream, this one first (at least 1); the server's
  // eventstore.snapshots_to_keep (default 3) when empty.
  std::optional<std::int32_t> keep{};
};

struct LoadOptions {
  // Only snapshots of this shape are loaded; with none, the events start at
  // the stream's first visible version.
  std::int32_t state_schema_version = 1;
  // Events after the snapshot, at least 1.
  std::int32_t max_count = 10'000;
};

}  // namespace eventstore
