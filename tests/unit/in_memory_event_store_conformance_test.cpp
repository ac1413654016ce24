// The shared conformance suite against the in-memory store, and against a
// ResilientEventStore around it (a decorator must not change what the store
// does). The same suite runs against the real server in tests/client.
#include <gtest/gtest.h>

#include <memory>

#include "event_store_conformance.hpp"
#include "eventstore/resilience/resilient_event_store.hpp"
#include "eventstore/testing/in_memory_event_store.hpp"

namespace eventstore::conformance {
namespace {

// Owns the in-memory store it decorates.
class ResilientInMemoryStore final : public EventStore {
 public:
  ResilientInMemoryStore() : resilient_(memory_, ResiliencePolicy::standard()) {}

  using EventStore::append;
  Result<AppendResult> append(const StreamName& stream, ExpectedVersion expected,
                              std::span<const EventData> events) override {
    return resilient_.append(stream, expected, events);
  }
  Result<std::vector<RecordedEvent>> read_stream(const StreamName& stream, const ReadStreamOptions& options) override {
    return resilient_.read_stream(stream, options);
  }
  Result<std::vector<RecordedEvent>> read_all(std::optional<LogPosition> after, std::int32_t max_count,
                                              const std::vector<std::string>& event_types) override {
    return resilient_.read_all(after, max_count, event_types);
  }
  Result<std::vector<RecordedEvent>> read_category(std::string_view category, std::optional<LogPosition> after,
                                                   std::int32_t max_count,
                                                   const std::vector<std::string>& event_types) override {
    return resilient_.read_category(category, after, max_count, event_types);
  }
  Result<StreamVersion> stream_version(const StreamName& stream) override { return resilient_.stream_version(stream); }
  Result<std::vector<RecordedEvent>> read_category(std::string_view category, ConsumerGroup group,
                                                   std::optional<LogPosition> after, std::int32_t max_count,
                                                   const std::vector<std::string>& event_types) override {
    return resilient_.read_category(category, group, after, max_count, event_types);
  }
  Result<std::vector<RecordedEvent>> read_event_type(std::string_view event_type, std::optional<LogPosition> after,
                                                     std::int32_t max_count) override {
    return resilient_.read_event_type(event_type, after, max_count);
  }
  Result<std::vector<RecordedEvent>> read_time_range(TimeRange range, std::optional<TimeRangePosition> after,
                                                     std::int32_t max_count) override {
    return resilient_.read_time_range(range, after, max_count);
  }
  Result<std::vector<RecordedEvent>> read_correlated(std::string_view correlation_id, std::optional<LogPosition> after,
                                                     std::int32_t max_count) override {
    return resilient_.read_correlated(correlation_id, after, max_count);
  }
  Result<void> save_snapshot(const StreamName& stream, StreamVersion version, std::string_view state_json,
                             const SaveSnapshotOptions& options) override {
    return resilient_.save_snapshot(stream, version, state_json, options);
  }
  Result<LoadedStream> load(const StreamName& stream, const LoadOptions& options) override {
    return resilient_.load(stream, options);
  }
  Result<StreamVersion> delete_stream(const StreamName& stream, ExpectedVersion expected) override {
    return resilient_.delete_stream(stream, expected);
  }
  Result<StreamVersion> tombstone_stream(const StreamName& stream, ExpectedVersion expected) override {
    return resilient_.tombstone_stream(stream, expected);
  }
  Result<void> truncate_stream(const StreamName& stream, StreamVersion before) override {
    return resilient_.truncate_stream(stream, before);
  }
  Result<void> set_stream_limits(const StreamName& stream, const StreamLimits& limits) override {
    return resilient_.set_stream_limits(stream, limits);
  }
  Result<std::optional<StreamState>> stream_state(const StreamName& stream) override {
    return resilient_.stream_state(stream);
  }
  Result<std::int64_t> reclaim(std::int32_t max_events) override {
    return resilient_.reclaim(max_events);
  }

 private:
  testing::InMemoryEventStore memory_;
  ResilientEventStore resilient_;
};

INSTANTIATE_TEST_SUITE_P(InMemory, EventStoreConformance,
                         ::testing::Values(StoreUnderTest{"in_memory",
                                                          []() -> Result<std::unique_ptr<EventStore>> {
                                                            return std::make_unique<testing::InMemoryEventStore>();
                                                          }},
                                           StoreUnderTest{"resilient_in_memory",
                                                          []() -> Result<std::unique_ptr<EventStore>> {
                                                            return std::make_unique<ResilientInMemoryStore>();
                                                          }}),
                         store_name);

}  // namespace
}  // namespace eventstore::conformance
