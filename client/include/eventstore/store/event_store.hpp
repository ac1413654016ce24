// Appends and reads: what every event store offers. The client on a real
// server and the in-memory store of the test kit implement it with the same
// semantics, so repositories, command handlers and projections work on either.
//
// Each call is a public, non-virtual function that carries the documentation
// and the default arguments, and forwards to a protected virtual do_* that
// implementations override (ForwardingEventStore is the base of decorators).
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
#include "eventstore/store/log_position.hpp"
#include "eventstore/store/read_stream_options.hpp"
#include "eventstore/store/recorded_event.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/stream_event_range.hpp"
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
  [[nodiscard]] Result<AppendResult> append(const StreamName& stream, ExpectedVersion expected,
                                            std::span<const EventData> events) {
    return do_append(stream, expected, events);
  }
  [[nodiscard]] Result<AppendResult> append(const StreamName& stream, ExpectedVersion expected,
                                            const EventData& event) {
    return do_append(stream, expected, std::span<const EventData>{&event, 1});
  }

  // One page of a stream. A stream without events gives an empty page.
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_stream(const StreamName& stream,
                                                               const ReadStreamOptions& options = {}) {
    return do_read_stream(stream, options);
  }

  // The whole stream (or from options.from on), fetched a page at a time
  // with read_stream as it is iterated. The store must outlive the range.
  [[nodiscard]] StreamEventRange stream(const StreamName& stream, const StreamEventRangeOptions& options = {}) {
    return StreamEventRange{this, stream, options};
  }

  // Up to max_count events of the global log after `after` (from the start
  // without it), in commit-safe order; only the given types when any are
  // given. Resume with the log_position of the last event returned. An empty
  // page means the reader has caught up.
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_all(std::optional<LogPosition> after, std::int32_t max_count,
                                                            const std::vector<std::string>& event_types = {}) {
    return do_read_all(after, max_count, event_types);
  }

  // read_all restricted to the streams of one category (the part of a stream
  // name before its first '-'; a category contains no '-').
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_category(std::string_view category,
                                                                 std::optional<LogPosition> after,
                                                                 std::int32_t max_count,
                                                                 const std::vector<std::string>& event_types = {}) {
    return do_read_category(category, std::nullopt, after, max_count, event_types);
  }

  // read_category for one member of a consumer group: only the streams whose
  // name hashes to group.member (invalid_argument unless 0 <= member < size).
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_category(std::string_view category, ConsumerGroup group,
                                                                 std::optional<LogPosition> after,
                                                                 std::int32_t max_count,
                                                                 const std::vector<std::string>& event_types = {}) {
    return do_read_category(category, group, after, max_count, event_types);
  }

  // The version of the stream's last event; StreamVersion::no_stream() (-1)
  // when it has none or is soft-deleted. stream_deleted when tombstoned.
  [[nodiscard]] Result<StreamVersion> stream_version(const StreamName& stream) { return do_stream_version(stream); }

  // ---- indexed reads (each served by an index of its own on the server)

  // Up to max_count events of one type after `after`, in commit-safe log
  // order (a subscription to a type): resume with the last log_position.
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_event_type(std::string_view event_type,
                                                                   std::optional<LogPosition> after,
                                                                   std::int32_t max_count) {
    return do_read_event_type(event_type, after, max_count);
  }
  // Up to max_count events appended in [range.from, range.to), in
  // (created_at, position) order, after `after`: resume with
  // TimeRangePosition::of(last event).
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_time_range(TimeRange range,
                                                                   std::optional<TimeRangePosition> after,
                                                                   std::int32_t max_count) {
    return do_read_time_range(range, after, max_count);
  }
  // Up to max_count events whose metadata has this "correlation_id", in log
  // order after `after`: resume with the last log_position.
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_correlated(std::string_view correlation_id,
                                                                   std::optional<LogPosition> after,
                                                                   std::int32_t max_count) {
    return do_read_correlated(correlation_id, after, max_count);
  }

 protected:
  EventStore() = default;
  EventStore(const EventStore&) = default;
  EventStore(EventStore&&) = default;
  EventStore& operator=(const EventStore&) = default;
  EventStore& operator=(EventStore&&) = default;

  // What implementations provide; the public calls above say what each does.
  // A category read without a consumer group has no `group`.
  [[nodiscard]] virtual Result<AppendResult> do_append(const StreamName& stream, ExpectedVersion expected,
                                                       std::span<const EventData> events) = 0;
  [[nodiscard]] virtual Result<std::vector<RecordedEvent>> do_read_stream(const StreamName& stream,
                                                                          const ReadStreamOptions& options) = 0;
  [[nodiscard]] virtual Result<std::vector<RecordedEvent>> do_read_all(std::optional<LogPosition> after,
                                                                       std::int32_t max_count,
                                                                       const std::vector<std::string>& event_types) = 0;
  [[nodiscard]] virtual Result<std::vector<RecordedEvent>> do_read_category(
      std::string_view category, std::optional<ConsumerGroup> group, std::optional<LogPosition> after,
      std::int32_t max_count, const std::vector<std::string>& event_types) = 0;
  [[nodiscard]] virtual Result<StreamVersion> do_stream_version(const StreamName& stream) = 0;
  [[nodiscard]] virtual Result<std::vector<RecordedEvent>> do_read_event_type(std::string_view event_type,
                                                                              std::optional<LogPosition> after,
                                                                              std::int32_t max_count) = 0;
  [[nodiscard]] virtual Result<std::vector<RecordedEvent>> do_read_time_range(TimeRange range,
                                                                              std::optional<TimeRangePosition> after,
                                                                              std::int32_t max_count) = 0;
  [[nodiscard]] virtual Result<std::vector<RecordedEvent>> do_read_correlated(std::string_view correlation_id,
                                                                              std::optional<LogPosition> after,
                                                                              std::int32_t max_count) = 0;

  // ForwardingEventStore calls another store's do_* functions.
  friend class ForwardingEventStore;
};

}  // namespace eventstore
