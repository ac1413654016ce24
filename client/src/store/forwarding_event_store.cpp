#include "eventstore/store/forwarding_event_store.hpp"

namespace eventstore {

Result<void> ForwardingEventStore::around(const ForwardedCall& /*call*/, const ForwardedAttempt& attempt) {
  return attempt();
}

Result<AppendResult> ForwardingEventStore::do_append(const StreamName& stream, ExpectedVersion expected,
                                                     std::span<const EventData> events) {
  return forward<AppendResult>({"append", &stream}, [&] { return inner_->do_append(stream, expected, events); });
}

Result<std::vector<RecordedEvent>> ForwardingEventStore::do_read_stream(const StreamName& stream,
                                                                        const ReadStreamOptions& options) {
  return forward<std::vector<RecordedEvent>>({"read_stream", &stream},
                                             [&] { return inner_->do_read_stream(stream, options); });
}

Result<std::vector<RecordedEvent>> ForwardingEventStore::do_read_all(std::optional<LogPosition> after,
                                                                     std::int32_t max_count,
                                                                     const std::vector<std::string>& event_types) {
  return forward<std::vector<RecordedEvent>>({"read_all"},
                                             [&] { return inner_->do_read_all(after, max_count, event_types); });
}

Result<std::vector<RecordedEvent>> ForwardingEventStore::do_read_category(std::string_view category,
                                                                          std::optional<ConsumerGroup> group,
                                                                          std::optional<LogPosition> after,
                                                                          std::int32_t max_count,
                                                                          const std::vector<std::string>& event_types) {
  return forward<std::vector<RecordedEvent>>(
      {"read_category"}, [&] { return inner_->do_read_category(category, group, after, max_count, event_types); });
}

Result<StreamVersion> ForwardingEventStore::do_stream_version(const StreamName& stream) {
  return forward<StreamVersion>({"stream_version", &stream}, [&] { return inner_->do_stream_version(stream); });
}

Result<std::vector<RecordedEvent>> ForwardingEventStore::do_read_event_type(std::string_view event_type,
                                                                            std::optional<LogPosition> after,
                                                                            std::int32_t max_count) {
  return forward<std::vector<RecordedEvent>>({"read_event_type"},
                                             [&] { return inner_->do_read_event_type(event_type, after, max_count); });
}

Result<std::vector<RecordedEvent>> ForwardingEventStore::do_read_time_range(TimeRange range,
                                                                            std::optional<TimeRangePosition> after,
                                                                            std::int32_t max_count) {
  return forward<std::vector<RecordedEvent>>({"read_time_range"},
                                             [&] { return inner_->do_read_time_range(range, after, max_count); });
}

Result<std::vector<RecordedEvent>> ForwardingEventStore::do_read_correlated(std::string_view correlation_id,
                                                                            std::optional<LogPosition> after,
                                                                            std::int32_t max_count) {
  return forward<std::vector<RecordedEvent>>(
      {"read_correlated"}, [&] { return inner_->do_read_correlated(correlation_id, after, max_count); });
}

Result<void> ForwardingEventStore::do_save_snapshot(const StreamName& stream, StreamVersion version,
                                                    std::string_view state_json, const SaveSnapshotOptions& options) {
  return forward<void>({"save_snapshot", &stream},
                       [&] { return inner_->do_save_snapshot(stream, version, state_json, options); });
}

Result<LoadedStream> ForwardingEventStore::do_load(const StreamName& stream, const LoadOptions& options) {
  return forward<LoadedStream>({"load", &stream}, [&] { return inner_->do_load(stream, options); });
}

Result<StreamVersion> ForwardingEventStore::do_delete_stream(const StreamName& stream, ExpectedVersion expected) {
  return forward<StreamVersion>({"delete_stream", &stream}, [&] { return inner_->do_delete_stream(stream, expected); });
}

Result<StreamVersion> ForwardingEventStore::do_tombstone_stream(const StreamName& stream, ExpectedVersion expected) {
  return forward<StreamVersion>({"tombstone_stream", &stream},
                                [&] { return inner_->do_tombstone_stream(stream, expected); });
}

Result<void> ForwardingEventStore::do_truncate_stream(const StreamName& stream, StreamVersion before) {
  return forward<void>({"truncate_stream", &stream}, [&] { return inner_->do_truncate_stream(stream, before); });
}

Result<void> ForwardingEventStore::do_set_stream_limits(const StreamName& stream, const StreamLimits& limits) {
  return forward<void>({"set_stream_limits", &stream}, [&] { return inner_->do_set_stream_limits(stream, limits); });
}

Result<std::optional<StreamState>> ForwardingEventStore::do_stream_state(const StreamName& stream) {
  return forward<std::optional<StreamState>>({"stream_state", &stream},
                                             [&] { return inner_->do_stream_state(stream); });
}

Result<std::int64_t> ForwardingEventStore::do_reclaim(std::int32_t max_events) {
  return forward<std::int64_t>({"reclaim"}, [&] { return inner_->do_reclaim(max_events); });
}

}  // namespace eventstore
