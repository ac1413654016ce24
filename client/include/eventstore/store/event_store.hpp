// What every event store offers: the client on a real server and the
// in-memory store of the test kit implement it with the same semantics, so
// repositories, command handlers and projections work on either.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/store/append_result.hpp"
#include "eventstore/store/consumer_group.hpp"
#include "eventstore/store/event_data.hpp"
#include "eventstore/store/expected_version.hpp"
#include "eventstore/store/loaded_stream.hpp"
#include "eventstore/store/log_position.hpp"
#include "eventstore/store/read_stream_options.hpp"
#include "eventstore/store/recorded_event.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/stream_event_range.hpp"
#include "eventstore/store/stream_lifecycle.hpp"
#include "eventstore/store/stream_name.hpp"
#include "eventstore/store/stream_version.hpp"
#include "eventstore/store/time_range.hpp"

namespace eventstore {

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Appends the events atomically when the stream is as `expected` says.
  // The same call repeated (same ids, types, data, metadata) returns the
  // original result and writes nothing; an id already used by another event
  // is event_id_reused.
  [[nodiscard]] virtual Result<AppendResult> append(const StreamName& stream, ExpectedVersion expected,
                                                    std::span<const EventData> events) = 0;
  [[nodiscard]] Result<AppendResult> append(const StreamName& stream, ExpectedVersion expected,
                                            const EventData& event) {
    return append(stream, expected, std::span<const EventData>{&event, 1});
  }

  // One page of a stream. A stream without events gives an empty page.
  [[nodiscard]] virtual Result<std::vector<RecordedEvent>> read_stream(const StreamName& stream,
                                                                       const ReadStreamOptions& options = {}) = 0;

  // The whole stream (or from options.from on), fetched a page at a time
  // with read_stream as it is iterated. The store must outlive the range.
  [[nodiscard]] StreamEventRange stream(const StreamName& stream, const StreamEventRangeOptions& options = {}) {
    return StreamEventRange{this, stream, options};
  }

  // Up to max_count events of the global log after `after` (from the start
  // without it), in commit-safe order; only the given types when any are
  // given. Resume with the log_position of the last event returned. An empty
  // page means the reader has caught up.
  [[nodiscard]] virtual Result<std::vector<RecordedEvent>> read_all(
      std::optional<LogPosition> after, std::int32_t max_count, const std::vector<std::string>& event_types = {}) = 0;

  // read_all restricted to the streams of one category (the part of a stream
  // name before its first '-'; a category contains no '-').
  [[nodiscard]] virtual Result<std::vector<RecordedEvent>> read_category(
      std::string_view category, std::optional<LogPosition> after, std::int32_t max_count,
      const std::vector<std::string>& event_types = {}) = 0;

  // read_category for one member of a consumer group: only the streams whose
  // name hashes to group.member (invalid_argument unless 0 <= member < size).
  [[nodiscard]] virtual Result<std::vector<RecordedEvent>> read_category(
      std::string_view category, ConsumerGroup group, std::optional<LogPosition> after, std::int32_t max_count,
      const std::vector<std::string>& event_types = {}) = 0;

  // The version of the stream's last event; StreamVersion::no_stream() (-1)
  // when it has none or is soft-deleted. stream_deleted when tombstoned.
  [[nodiscard]] virtual Result<StreamVersion> stream_version(const StreamName& stream) = 0;

  // ---- indexed reads (each served by an index of its own on the server)

  // Up to max_count events of one type after `after`, in commit-safe log
  // order (a subscription to a type): resume with the last log_position.
  [[nodiscard]] virtual Result<std::vector<RecordedEvent>> read_event_type(std::string_view event_type,
                                                                           std::optional<LogPosition> after,
                                                                           std::int32_t max_count) = 0;
  // Up to max_count events appended in [range.from, range.to), in
  // (created_at, position) order, after `after`: resume with
  // TimeRangePosition::of(last event).
  [[nodiscard]] virtual Result<std::vector<RecordedEvent>> read_time_range(TimeRange range,
                                                                           std::optional<TimeRangePosition> after,
                                                                           std::int32_t max_count) = 0;
  // Up to max_count events whose metadata has this "correlation_id", in log
  // order after `after`: resume with the last log_position.
  [[nodiscard]] virtual Result<std::vector<RecordedEvent>> read_correlated(std::string_view correlation_id,
                                                                           std::optional<LogPosition> after,
                                                                           std::int32_t max_count) = 0;

  // ---- snapshots

  // Stores `state_json` as the stream's state at `version` (the same version
  // and shape again replaces it), then keeps the newest options.keep
  // snapshots. invalid_snapshot unless the stream shows `version`.
  [[nodiscard]] virtual Result<void> save_snapshot(const StreamName& stream, StreamVersion version,
                                                   std::string_view state_json,
                                                   const SaveSnapshotOptions& options = {}) = 0;
  // The newest snapshot of options.state_schema_version the stream still
  // shows, and up to options.max_count events after it, read at one point in time.
  [[nodiscard]] virtual Result<LoadedStream> load(const StreamName& stream, const LoadOptions& options = {}) = 0;

  // ---- stream lifecycle

  // Soft delete when the stream is as `expected` says; returns its version
  // at deletion. Deleting again changes nothing.
  [[nodiscard]] virtual Result<StreamVersion> delete_stream(const StreamName& stream,
                                                            ExpectedVersion expected = ExpectedVersion::any()) = 0;
  // Hard delete, for good (a name never used too); returns the version it had.
  [[nodiscard]] virtual Result<StreamVersion> tombstone_stream(const StreamName& stream,
                                                               ExpectedVersion expected = ExpectedVersion::any()) = 0;
  // Hides the versions below `before` (truncation only grows).
  // stream_not_found for a stream that never existed.
  [[nodiscard]] virtual Result<void> truncate_stream(const StreamName& stream, StreamVersion before) = 0;
  // Sets both limits (an empty one: no limit). stream_not_found for a stream that never existed.
  [[nodiscard]] virtual Result<void> set_stream_limits(const StreamName& stream, const StreamLimits& limits) = 0;
  // The lifecycle state; empty for a stream that never existed.
  [[nodiscard]] virtual Result<std::optional<StreamState>> stream_state(const StreamName& stream) = 0;
  // Deletes up to max_events hidden events (and the snapshots of hidden
  // versions); returns how many events it deleted. Reads do not change.
  [[nodiscard]] virtual Result<std::int64_t> reclaim(std::int32_t max_events = 100'000) = 0;

 protected:
  EventStore() = default;
  EventStore(const EventStore&) = default;
  EventStore(EventStore&&) = default;
  EventStore& operator=(const EventStore&) = default;
  EventStore& operator=(EventStore&&) = default;
};

}  // namespace eventstore
