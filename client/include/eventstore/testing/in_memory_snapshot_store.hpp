// A SnapshotStore in memory over any EventStore (usually the test kit's
// InMemoryEventStore): snapshots are kept here, events are read from the
// store. It follows the server's rules: a snapshot of a version the stream
// does not have is refused with SQLSTATE 22V10, the state must be JSON
// (invalid_json), the same version and shape again replaces the snapshot,
// the newest `snapshots_to_keep` of a stream are kept (the one just saved,
// then the others by version), and load() ignores snapshots of other shapes.
//
// Unlike the server's load(), the snapshot and the events are two reads,
// not one: events appended in between show up after the snapshot. Thread-safe
// as far as the event store is.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/store/event_store.hpp"
#include "eventstore/store/snapshot_store.hpp"

namespace eventstore::testing {

struct InMemorySnapshotStoreOptions {
  // eventstore.snapshots_to_keep on the server: kept when save_snapshot gives no `keep`.
  std::int32_t snapshots_to_keep = 3;
};

// A snapshot as kept, for assertions in tests.
struct StoredSnapshot {
  std::string stream;
  int state_schema_version;
  StreamVersion version;
  std::string state;
};

class InMemorySnapshotStore final : public SnapshotStore {
 public:
  explicit InMemorySnapshotStore(EventStore& events, InMemorySnapshotStoreOptions options = {});

  // Every snapshot kept, by stream, then newest version first.
  [[nodiscard]] std::vector<StoredSnapshot> snapshots() const;
  // How many times save_snapshot succeeded.
  [[nodiscard]] std::uint64_t saved_count() const;

 protected:
  [[nodiscard]] Result<void> do_save_snapshot(const StreamName& stream, StreamVersion version,
                                              std::string_view state_json, const SaveSnapshotOptions& options) override;
  [[nodiscard]] Result<LoadedStream> do_load(const StreamName& stream, const LoadOptions& options) override;

 private:
  struct Kept {
    int state_schema_version;
    StreamVersion version;
    std::string state;
    std::chrono::sys_time<std::chrono::microseconds> created_at;
  };

  EventStore* events_;
  InMemorySnapshotStoreOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<Kept>, std::less<>> by_stream_;
  std::uint64_t saved_count_ = 0;
};

}  // namespace eventstore::testing
