#include "eventstore/testing/in_memory_snapshot_store.hpp"

#include <algorithm>
#include <utility>

#include "eventstore/core/error_texts.hpp"
#include "eventstore/core/sqlstate.hpp"
#include "jsonb_document.hpp"

namespace eventstore::testing {
namespace {

// The server's invalid_snapshot.
Error invalid_snapshot(std::string message) {
  return Error::from_server(core::sqlstate::invalid_snapshot, std::move(message));
}

// The server's invalid_read_argument.
Error invalid_read_argument(std::string message) {
  return Error::from_server(core::sqlstate::invalid_read_argument, std::move(message));
}

}  // namespace

InMemorySnapshotStore::InMemorySnapshotStore(EventStore& events, InMemorySnapshotStoreOptions options)
    : events_(&events), options_(options) {}

Result<void> InMemorySnapshotStore::do_save_snapshot(const StreamName& stream, StreamVersion version,
                                                     std::string_view state_json, const SaveSnapshotOptions& options) {
  const std::int32_t keep = options.keep.value_or(options_.snapshots_to_keep);
  const std::int32_t state_schema_version = options.state_schema_version;
  if (keep < 1) return std::unexpected(invalid_snapshot(core::below_minimum_message("keep", 1, keep).str()));
  auto document = detail::parse_jsonb(state_json);
  if (!document) return std::unexpected(std::move(document.error()));
  auto current = events_->stream_version(stream);
  if (!current) return std::unexpected(std::move(current.error()));
  if (!current->stream_exists())
    return std::unexpected(invalid_snapshot(core::no_events_to_snapshot_message(stream.value()).str()));
  if (version.value() < 0 || version > *current)
    return std::unexpected(invalid_snapshot(
        core::no_version_to_snapshot_message(stream.value(), version.value(), 0, current->value()).str()));

  auto now = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  std::lock_guard lock{mutex_};
  auto& kept = by_stream_[stream.value()];
  std::erase_if(kept, [&](const Kept& snapshot) {
    return snapshot.state_schema_version == state_schema_version && snapshot.version == version;
  });
  // The one just saved first, then the others by version, newest first.
  std::ranges::sort(kept, std::ranges::greater{}, &Kept::version);
  kept.insert(kept.begin(), Kept{state_schema_version, version, std::move(document->text), now});
  if (kept.size() > static_cast<std::size_t>(keep)) kept.erase(kept.begin() + keep, kept.end());
  ++saved_count_;
  return {};
}

Result<LoadedStream> InMemorySnapshotStore::do_load(const StreamName& stream, const LoadOptions& options) {
  const std::int32_t state_schema_version = options.state_schema_version;
  const std::int32_t max_count = options.max_count;
  if (max_count < 1)
    return std::unexpected(invalid_read_argument(core::below_minimum_message("max_count", 1, max_count).str()));
  auto current = events_->stream_version(stream);
  if (!current) return std::unexpected(std::move(current.error()));
  LoadedStream loaded;
  if (!current->stream_exists()) return loaded;
  {
    std::lock_guard lock{mutex_};
    if (auto found = by_stream_.find(stream.value()); found != by_stream_.end()) {
      const Kept* newest = nullptr;
      for (const Kept& snapshot : found->second)
        if (snapshot.state_schema_version == state_schema_version && snapshot.version <= *current &&
            (newest == nullptr || snapshot.version > newest->version))
          newest = &snapshot;
      if (newest != nullptr) loaded.snapshot = Snapshot{newest->version, newest->state, newest->created_at};
    }
  }
  StreamVersion from{loaded.snapshot ? loaded.snapshot->version.value() + 1 : 0};
  auto events = events_->read_stream(stream, {.from = from, .max_count = max_count});
  if (!events) return std::unexpected(std::move(events.error()));
  loaded.events = std::move(*events);
  return loaded;
}

std::vector<StoredSnapshot> InMemorySnapshotStore::snapshots() const {
  std::lock_guard lock{mutex_};
  std::vector<StoredSnapshot> all;
  for (const auto& [stream, kept] : by_stream_) {
    std::vector<const Kept*> ordered;
    for (const Kept& snapshot : kept) ordered.push_back(&snapshot);
    std::ranges::sort(ordered, [](const Kept* left, const Kept* right) { return left->version > right->version; });
    for (const Kept* snapshot : ordered)
      all.push_back(StoredSnapshot{stream, snapshot->state_schema_version, snapshot->version, snapshot->state});
  }
  return all;
}

std::uint64_t InMemorySnapshotStore::saved_count() const {
  std::lock_guard lock{mutex_};
  return saved_count_;
}

}  // namespace eventstore::testing
