// A broken EventStore for the negative control of the model test: it
// silently drops every nth event handed to append (counting across calls)
// and otherwise passes everything through. A model test that cannot catch it
// proves nothing.
#pragma once

#include <cstddef>
#include <vector>

#include "eventstore/eventstore.hpp"

namespace eventstore::conformance {

class DroppingEventStore final : public EventStore {
 public:
  DroppingEventStore(EventStore& store, std::size_t every) : store_(&store), every_(every) {}

  using EventStore::append;
  Result<AppendResult> append(const StreamName& stream, ExpectedVersion expected,
                              std::span<const EventData> events) override {
    std::vector<EventData> kept;
    for (const EventData& event : events)
      if (++handed_ % every_ != 0) kept.push_back(event);
    return store_->append(stream, expected, kept);
  }
  Result<std::vector<RecordedEvent>> read_stream(const StreamName& stream, const ReadStreamOptions& options) override {
    return store_->read_stream(stream, options);
  }
  Result<std::vector<RecordedEvent>> read_all(std::optional<LogPosition> after, std::int32_t max_count,
                                              const std::vector<std::string>& event_types) override {
    return store_->read_all(after, max_count, event_types);
  }
  Result<std::vector<RecordedEvent>> read_category(std::string_view category, std::optional<LogPosition> after,
                                                   std::int32_t max_count,
                                                   const std::vector<std::string>& event_types) override {
    return store_->read_category(category, after, max_count, event_types);
  }
  Result<StreamVersion> stream_version(const StreamName& stream) override { return store_->stream_version(stream); }
  Result<std::vector<RecordedEvent>> read_category(std::string_view category, ConsumerGroup group,
                                                   std::optional<LogPosition> after, std::int32_t max_count,
                                                   const std::vector<std::string>& event_types) override {
    return store_->read_category(category, group, after, max_count, event_types);
  }
  Result<std::vector<RecordedEvent>> read_event_type(std::string_view event_type, std::optional<LogPosition> after,
                                                     std::int32_t max_count) override {
    return store_->read_event_type(event_type, after, max_count);
  }
  Result<std::vector<RecordedEvent>> read_time_range(TimeRange range, std::optional<TimeRangePosition> after,
                                                     std::int32_t max_count) override {
    return store_->read_time_range(range, after, max_count);
  }
  Result<std::vector<RecordedEvent>> read_correlated(std::string_view correlation_id, std::optional<LogPosition> after,
                                                     std::int32_t max_count) override {
    return store_->read_correlated(correlation_id, after, max_count);
  }
  Result<void> save_snapshot(const StreamName& stream, StreamVersion version, std::string_view state_json,
                             const SaveSnapshotOptions& options) override {
    return store_->save_snapshot(stream, version, state_json, options);
  }
  Result<LoadedStream> load(const StreamName& stream, const LoadOptions& options) override {
    return store_->load(stream, options);
  }
  Result<StreamVersion> delete_stream(const StreamName& stream, ExpectedVersion expected) override {
    return store_->delete_stream(stream, expected);
  }
  Result<StreamVersion> tombstone_stream(const StreamName& stream, ExpectedVersion expected) override {
    return store_->tombstone_stream(stream, expected);
  }
  Result<void> truncate_stream(const StreamName& stream, StreamVersion before) override {
    return store_->truncate_stream(stream, before);
  }
  Result<void> set_stream_limits(const StreamName& stream, const StreamLimits& limits) override {
    return store_->set_stream_limits(stream, limits);
  }
  Result<std::optional<StreamState>> stream_state(const StreamName& stream) override {
    return store_->stream_state(stream);
  }
  Result<std::int64_t> reclaim(std::int32_t max_events) override {
    return store_->reclaim(max_events);
  }

 private:
  EventStore* store_;
  std::size_t every_;
  std::size_t handed_ = 0;
};

}  // namespace eventstore::conformance
