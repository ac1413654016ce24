// InMemoryEventStore: snapshots and the stream lifecycle, with the server's
// checks in the server's order and its SQLSTATEs.
#include <algorithm>
#include <mutex>
#include <shared_mutex>

#include "eventstore/core/error_texts.hpp"
#include "eventstore/core/expected_version.hpp"
#include "eventstore/core/sqlstate.hpp"
#include "eventstore/store/detail/client_checks.hpp"
#include "eventstore/testing/in_memory_event_store.hpp"
#include "in_memory_contents.hpp"
#include "jsonb_document.hpp"

namespace eventstore::testing {
namespace {

Error invalid_snapshot(std::string message) {
  return Error::from_server(core::sqlstate::invalid_snapshot, std::move(message));
}
Error invalid_parameter(std::string message) {
  return Error::from_server(core::sqlstate::invalid_parameter_value, std::move(message));
}
Error stream_not_found(const StreamName& stream) {
  return Error::from_server(core::sqlstate::undefined_object, core::stream_not_found_message(stream.value()).str());
}

// Keeps the newest `keep` snapshots: the one just saved, then by version
// (and state schema version), newest first.
void prune(std::vector<KeptSnapshot>& snapshots, std::int32_t keep, std::int32_t saved_schema_version,
           std::int64_t saved_version) {
  if (snapshots.size() <= static_cast<std::size_t>(keep)) return;
  std::sort(snapshots.begin(), snapshots.end(), [&](const KeptSnapshot& a, const KeptSnapshot& b) {
    bool a_saved = a.version == saved_version && a.state_schema_version == saved_schema_version;
    bool b_saved = b.version == saved_version && b.state_schema_version == saved_schema_version;
    if (a_saved != b_saved) return a_saved;
    if (a.version != b.version) return a.version > b.version;
    return a.state_schema_version > b.state_schema_version;
  });
  snapshots.resize(static_cast<std::size_t>(keep));
}

}  // namespace

Result<void> InMemoryEventStore::do_save_snapshot(const StreamName& stream, StreamVersion version,
                                                  std::string_view state_json, const SaveSnapshotOptions& options) {
  // The server parses the jsonb argument before the function runs.
  auto state = detail::parse_jsonb(state_json);
  if (!state) return std::unexpected(std::move(state.error()));
  std::int32_t keep = options.keep.value_or(options_.snapshots_to_keep);
  if (keep < 1) return std::unexpected(invalid_snapshot(core::below_minimum_message("keep", 1, keep).str()));
  if (state->stored_size > options_.max_snapshot_size)
    return std::unexpected(
        invalid_snapshot(core::snapshot_too_large_message(stream.value(), static_cast<std::int64_t>(state->stored_size),
                                                          static_cast<std::int64_t>(options_.max_snapshot_size))
                             .str()));

  std::unique_lock lock(mutex_);
  StoredStream* found = contents_->stream(stream);
  if (found != nullptr && found->lifecycle.tombstoned) return std::unexpected(stream_tombstoned(stream));
  if (found == nullptr)
    return std::unexpected(invalid_snapshot(core::no_events_to_snapshot_message(stream.value()).str()));
  std::int64_t first_visible = found->first_visible_version();
  if (version.value() < first_visible || version.value() > found->version)
    return std::unexpected(invalid_snapshot(
        core::no_version_to_snapshot_message(stream.value(), version.value(), first_visible, found->version).str()));
  auto same = std::find_if(found->snapshots.begin(), found->snapshots.end(), [&](const KeptSnapshot& snapshot) {
    return snapshot.version == version.value() && snapshot.state_schema_version == options.state_schema_version;
  });
  KeptSnapshot saved{options.state_schema_version, version.value(), std::move(state->text), options_.clock()};
  if (same != found->snapshots.end())
    *same = std::move(saved);
  else
    found->snapshots.push_back(std::move(saved));
  prune(found->snapshots, keep, options.state_schema_version, version.value());
  return {};
}

Result<LoadedStream> InMemoryEventStore::do_load(const StreamName& stream, const LoadOptions& options) {
  if (options.max_count < 1)
    return std::unexpected(read_argument_error(core::below_minimum_message("max_count", 1, options.max_count).str()));
  std::shared_lock lock(mutex_);
  LoadedStream loaded;
  const StoredStream* found = contents_->stream(stream);
  if (found == nullptr) return loaded;
  if (found->lifecycle.tombstoned) return std::unexpected(stream_tombstoned(stream));
  const auto now = options_.clock();
  std::int64_t from_version = found->first_visible_version();
  // The newest of the asked shape, unless it would bring hidden versions back.
  const KeptSnapshot* newest = nullptr;
  for (const KeptSnapshot& snapshot : found->snapshots)
    if (snapshot.state_schema_version == options.state_schema_version &&
        (newest == nullptr || snapshot.version > newest->version))
      newest = &snapshot;
  if (newest != nullptr && newest->version >= from_version && newest->version <= found->version) {
    loaded.snapshot = Snapshot{StreamVersion{newest->version}, newest->state, newest->created_at};
    from_version = newest->version + 1;
  }
  for (auto version = std::max<std::int64_t>(from_version, 0);
       version <= found->version && loaded.events.size() < static_cast<std::size_t>(options.max_count); ++version) {
    const StoredEvent& stored = contents_->log[found->events[static_cast<std::size_t>(version)]];
    if (!stored.reclaimed && found->shows(version, stored.event.created_at, now)) loaded.events.push_back(stored.event);
  }
  return loaded;
}

Result<StreamVersion> InMemoryEventStore::do_delete_stream(const StreamName& stream, ExpectedVersion expected) {
  if (auto checked = detail::check_expected_version(expected); !checked) return std::unexpected(checked.error());
  std::unique_lock lock(mutex_);
  StoredStream* found = contents_->stream(stream);
  if (found != nullptr && found->lifecycle.tombstoned) return std::unexpected(stream_tombstoned(stream));
  std::int64_t current = found != nullptr ? found->current_version() : core::no_stream_version;
  if (!core::expected_version_matches(expected.value(), current))
    return std::unexpected(wrong_expected_version(stream, expected.value(), current));
  if (found == nullptr) return StreamVersion::no_stream();
  found->lifecycle.deleted = true;  // deleting again changes nothing
  return StreamVersion{found->version};
}

Result<StreamVersion> InMemoryEventStore::do_tombstone_stream(const StreamName& stream, ExpectedVersion expected) {
  if (auto checked = detail::check_expected_version(expected); !checked) return std::unexpected(checked.error());
  std::unique_lock lock(mutex_);
  StoredStream* found = contents_->stream(stream);
  if (found != nullptr && found->lifecycle.tombstoned) return StreamVersion{found->version};
  std::int64_t current = found != nullptr ? found->current_version() : core::no_stream_version;
  if (!core::expected_version_matches(expected.value(), current))
    return std::unexpected(wrong_expected_version(stream, expected.value(), current));
  // A name never used gets a tombstone too, so that it can never be created.
  if (found == nullptr) {
    found = &contents_->streams[stream.value()];
    found->created_at = options_.clock();
  }
  found->lifecycle.tombstoned = true;
  return StreamVersion{found->version};
}

Result<void> InMemoryEventStore::do_truncate_stream(const StreamName& stream, StreamVersion before) {
  if (before.value() < 0)
    return std::unexpected(invalid_parameter(core::below_minimum_message("before_version", 0, before.value()).str()));
  std::unique_lock lock(mutex_);
  StoredStream* found = contents_->stream(stream);
  if (found == nullptr) return std::unexpected(stream_not_found(stream));
  if (found->lifecycle.tombstoned) return std::unexpected(stream_tombstoned(stream));
  // Truncation only grows: what it hid may already be reclaimed.
  found->lifecycle.truncate_before = std::max(found->lifecycle.truncate_before, before.value());
  return {};
}

Result<void> InMemoryEventStore::do_set_stream_limits(const StreamName& stream, const StreamLimits& limits) {
  if (limits.max_count && *limits.max_count < 1)
    return std::unexpected(invalid_parameter(core::below_minimum_message("max_count", 1, *limits.max_count).str()));
  if (limits.max_age && limits.max_age->count() <= 0)
    return std::unexpected(invalid_parameter(core::max_age_not_positive_message));
  std::unique_lock lock(mutex_);
  StoredStream* found = contents_->stream(stream);
  if (found == nullptr) return std::unexpected(stream_not_found(stream));
  if (found->lifecycle.tombstoned) return std::unexpected(stream_tombstoned(stream));
  found->lifecycle.max_count = limits.max_count;
  found->max_age = limits.max_age;
  return {};
}

Result<std::optional<StreamState>> InMemoryEventStore::do_stream_state(const StreamName& stream) {
  std::shared_lock lock(mutex_);
  const StoredStream* found = contents_->stream(stream);
  if (found == nullptr) return std::optional<StreamState>{};
  StreamState state{StreamVersion{found->version}};
  state.deleted = found->lifecycle.deleted;
  state.tombstoned = found->lifecycle.tombstoned;
  state.truncate_before = StreamVersion{found->lifecycle.truncate_before};
  state.limits = StreamLimits{found->lifecycle.max_count, found->max_age};
  state.created_at = found->created_at;
  return std::optional<StreamState>{state};
}

Result<std::int64_t> InMemoryEventStore::do_reclaim(std::int32_t max_events) {
  if (max_events < 1)
    return std::unexpected(invalid_parameter(core::below_minimum_message("max_events", 1, max_events).str()));
  std::unique_lock lock(mutex_);
  Contents& contents = *contents_;
  const auto now = options_.clock();
  std::int64_t deleted = 0;
  for (auto& [name, stream] : contents.streams) {
    if (deleted >= max_events) break;
    const core::StreamLifecycle& lifecycle = stream.lifecycle;
    if (!lifecycle.deleted && !lifecycle.tombstoned && lifecycle.truncate_before == 0 && !lifecycle.max_count &&
        !stream.max_age)
      continue;
    for (std::size_t index : stream.events) {
      if (deleted >= max_events) break;
      StoredEvent& stored = contents.log[index];
      if (stored.reclaimed) continue;
      // Past the hidden versions only age hides an event, and ages grow with
      // versions: the first visible event ends the work for this stream.
      if (stream.shows(stored.event.version.value(), stored.event.created_at, now)) break;
      stored.reclaimed = true;
      contents.log_index_by_id.erase(stored.event.id);
      contents.reclaimed_index_by_id.emplace(stored.event.id, index);
      ++deleted;
    }
    // Snapshots of hidden versions can never be loaded again.
    std::int64_t first_visible = stream.first_visible_version();
    std::erase_if(stream.snapshots, [&](const KeptSnapshot& snapshot) { return snapshot.version < first_visible; });
  }
  return deleted;
}

}  // namespace eventstore::testing
