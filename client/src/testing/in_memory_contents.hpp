// What an InMemoryEventStore holds: the global log, each stream with its
// lifecycle and snapshots, and the index of event ids. Shared by the files of
// the store (appends and reads; lifecycle and snapshots), under its mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "eventstore/core/error_texts.hpp"
#include "eventstore/core/sqlstate.hpp"
#include "eventstore/core/stream_visibility.hpp"
#include "eventstore/store/error.hpp"
#include "eventstore/store/recorded_event.hpp"
#include "eventstore/store/stream_name.hpp"
#include "eventstore/testing/in_memory_event_store.hpp"

namespace eventstore::testing {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

struct StoredEvent {
  RecordedEvent event;
  std::string data_key;
  std::optional<std::string> metadata_key;
  // Deleted by reclaim(): gone from every read and from the id index.
  bool reclaimed = false;
};

// A snapshot as the store keeps it (testing::StoredSnapshot is what
// InMemorySnapshotStore shows to tests).
struct KeptSnapshot {
  std::int32_t state_schema_version;
  std::int64_t version;
  std::string state;
  Timestamp created_at;
};

struct StoredStream {
  // Log indexes by version: versions run from 0 without gaps, also across a
  // soft delete and recreation.
  std::vector<std::size_t> events;
  // The version of the last event ever appended (-1: tombstoned before any).
  std::int64_t version = -1;
  core::StreamLifecycle lifecycle;
  std::optional<std::chrono::microseconds> max_age;
  Timestamp created_at;
  std::vector<KeptSnapshot> snapshots;

  // The server's rule (core::first_visible_version, and max_age against `now`).
  [[nodiscard]] std::int64_t first_visible_version() const noexcept {
    return core::first_visible_version(version, lifecycle);
  }
  [[nodiscard]] bool shows(std::int64_t event_version, Timestamp event_created_at, Timestamp now) const noexcept {
    return event_version >= first_visible_version() && (!max_age || event_created_at >= now - *max_age);
  }
  // The version appends and lifecycle calls compare with: -1 when soft-deleted.
  [[nodiscard]] std::int64_t current_version() const noexcept { return lifecycle.deleted ? -1 : version; }
};

struct InMemoryEventStore::Contents {
  // The global log: the event at index i has position i + 1.
  std::vector<StoredEvent> log;
  std::map<std::string, StoredStream, std::less<>> streams;
  std::unordered_map<EventId, std::size_t> log_index_by_id;
  // The ids of reclaimed events, as the server's ledger keeps them (here for
  // the store's life), so that a retried append is still recognised.
  std::unordered_map<EventId, std::size_t> reclaimed_index_by_id;
  std::uint64_t last_transaction_id = 0;

  [[nodiscard]] const StoredStream* stream(const StreamName& name) const {
    auto found = streams.find(name.value());
    return found == streams.end() ? nullptr : &found->second;
  }
  [[nodiscard]] StoredStream* stream(const StreamName& name) {
    auto found = streams.find(name.value());
    return found == streams.end() ? nullptr : &found->second;
  }
  // Whether a read of the log shows the event.
  [[nodiscard]] bool shows(const StoredEvent& stored, Timestamp now) const {
    if (stored.reclaimed) return false;
    const StoredStream& owner = streams.find(stored.event.stream.value())->second;
    return owner.shows(stored.event.version.value(), stored.event.created_at, now);
  }
};

// The server's errors, with its SQLSTATEs and words.
[[nodiscard]] inline Error stream_tombstoned(const StreamName& stream) {
  return Error::from_server(core::sqlstate::stream_deleted, core::stream_tombstoned_message(stream.value()).str(), {},
                            core::stream_tombstoned_hint);
}
[[nodiscard]] inline Error read_argument_error(std::string message) {
  return Error::from_server(core::sqlstate::invalid_read_argument, std::move(message));
}
[[nodiscard]] Error wrong_expected_version(const StreamName& stream, std::int64_t expected, std::int64_t actual);

}  // namespace eventstore::testing
