#include "eventstore/resilience/resilient_event_store.hpp"

#include <utility>

namespace eventstore {

ResilientEventStore::ResilientEventStore(EventStore& store, ResiliencePolicy policy)
    : store_(&store), policy_(std::move(policy)) {}

Result<AppendResult> ResilientEventStore::append(const StreamName& stream, ExpectedVersion expected,
                                                 std::span<const EventData> events) {
  return policy_.call([&] { return store_->append(stream, expected, events); });
}

Result<std::vector<RecordedEvent>> ResilientEventStore::read_stream(const StreamName& stream,
                                                                    const ReadStreamOptions& options) {
  return policy_.call([&] { return store_->read_stream(stream, options); });
}

Result<std::vector<RecordedEvent>> ResilientEventStore::read_all(std::optional<LogPosition> after,
                                                                 std::int32_t max_count,
                                                                 const std::vector<std::string>& event_types) {
  return policy_.call([&] { return store_->read_all(after, max_count, event_types); });
}

Result<std::vector<RecordedEvent>> ResilientEventStore::read_category(std::string_view category,
                                                                      std::optional<LogPosition> after,
                                                                      std::int32_t max_count,
                                                                      const std::vector<std::string>& event_types) {
  return policy_.call([&] { return store_->read_category(category, after, max_count, event_types); });
}

Result<StreamVersion> ResilientEventStore::stream_version(const StreamName& stream) {
  return policy_.call([&] { return store_->stream_version(stream); });
}

Result<std::vector<RecordedEvent>> ResilientEventStore::read_category(std::string_view category, ConsumerGroup group,
                                                                      std::optional<LogPosition> after,
                                                                      std::int32_t max_count,
                                                                      const std::vector<std::string>& event_types) {
  return policy_.call([&] { return store_->read_category(category, group, after, max_count, event_types); });
}

Result<std::vector<RecordedEvent>> ResilientEventStore::read_event_type(std::string_view event_type,
                                                                        std::optional<LogPosition> after,
                                                                        std::int32_t max_count) {
  return policy_.call([&] { return store_->read_event_type(event_type, after, max_count); });
}

Result<std::vector<RecordedEvent>> ResilientEventStore::read_time_range(TimeRange range,
                                                                        std::optional<TimeRangePosition> after,
                                                                        std::int32_t max_count) {
  return policy_.call([&] { return store_->read_time_range(range, after, max_count); });
}

Result<std::vector<RecordedEvent>> ResilientEventStore::read_correlated(std::string_view correlation_id,
                                                                        std::optional<LogPosition> after,
                                                                        std::int32_t max_count) {
  return policy_.call([&] { return store_->read_correlated(correlation_id, after, max_count); });
}

Result<void> ResilientEventStore::save_snapshot(const StreamName& stream, StreamVersion version,
                                                std::string_view state_json, const SaveSnapshotOptions& options) {
  return policy_.call([&] { return store_->save_snapshot(stream, version, state_json, options); });
}

Result<LoadedStream> ResilientEventStore::load(const StreamName& stream, const LoadOptions& options) {
  return policy_.call([&] { return store_->load(stream, options); });
}

Result<StreamVersion> ResilientEventStore::delete_stream(const StreamName& stream, ExpectedVersion expected) {
  return policy_.call([&] { return store_->delete_stream(stream, expected); });
}

Result<StreamVersion> ResilientEventStore::tombstone_stream(const StreamName& stream, ExpectedVersion expected) {
  return policy_.call([&] { return store_->tombstone_stream(stream, expected); });
}

Result<void> ResilientEventStore::truncate_stream(const StreamName& stream, StreamVersion before) {
  return policy_.call([&] { return store_->truncate_stream(stream, before); });
}

Result<void> ResilientEventStore::set_stream_limits(const StreamName& stream, const StreamLimits& limits) {
  return policy_.call([&] { return store_->set_stream_limits(stream, limits); });
}

Result<std::optional<StreamState>> ResilientEventStore::stream_state(const StreamName& stream) {
  return policy_.call([&] { return store_->stream_state(stream); });
}

Result<std::int64_t> ResilientEventStore::reclaim(std::int32_t max_events) {
  return policy_.call([&] { return store_->reclaim(max_events); });
}

}  // namespace eventstore
