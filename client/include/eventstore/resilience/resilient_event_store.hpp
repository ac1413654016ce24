// An EventStore that sends every call of another EventStore through a
// ResiliencePolicy (retry, circuit breaker, bulkhead), so that repositories,
// command handlers and projections get resilience without knowing of it:
//
//   auto client = eventstore::Client::connect(dsn);
//   eventstore::ResilientEventStore store{*client, eventstore::ResiliencePolicy::standard()};
//   auto appended = store.append(order, eventstore::ExpectedVersion::exactly(version), events);
//
// Appends are retried safely: a repeated append with the same event ids
// returns the original result and writes nothing. The lazy stream() range
// reads its pages through the policy as well. The wrapped store must outlive
// this one; whether calls may come from several threads at once is the
// wrapped store's business.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/store/event_store.hpp"
#include "eventstore/resilience/resilience_policy.hpp"

namespace eventstore {

class ResilientEventStore final : public EventStore {
 public:
  ResilientEventStore(EventStore& store, ResiliencePolicy policy);

  using EventStore::append;
  [[nodiscard]] Result<AppendResult> append(const StreamName& stream, ExpectedVersion expected,
                                            std::span<const EventData> events) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_stream(const StreamName& stream,
                                                               const ReadStreamOptions& options = {}) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_all(std::optional<LogPosition> after, std::int32_t max_count,
                                                            const std::vector<std::string>& event_types = {}) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_category(
      std::string_view category, std::optional<LogPosition> after, std::int32_t max_count,
      const std::vector<std::string>& event_types = {}) override;
  [[nodiscard]] Result<StreamVersion> stream_version(const StreamName& stream) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_category(
      std::string_view category, ConsumerGroup group, std::optional<LogPosition> after, std::int32_t max_count,
      const std::vector<std::string>& event_types = {}) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_event_type(std::string_view event_type,
                                                                   std::optional<LogPosition> after,
                                                                   std::int32_t max_count) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_time_range(TimeRange range,
                                                                   std::optional<TimeRangePosition> after,
                                                                   std::int32_t max_count) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_correlated(std::string_view correlation_id,
                                                                   std::optional<LogPosition> after,
                                                                   std::int32_t max_count) override;
  [[nodiscard]] Result<void> save_snapshot(const StreamName& stream, StreamVersion version, std::string_view state_json,
                                           const SaveSnapshotOptions& options = {}) override;
  [[nodiscard]] Result<LoadedStream> load(const StreamName& stream, const LoadOptions& options = {}) override;
  [[nodiscard]] Result<StreamVersion> delete_stream(const StreamName& stream,
                                                    ExpectedVersion expected = ExpectedVersion::any()) override;
  [[nodiscard]] Result<StreamVersion> tombstone_stream(const StreamName& stream,
                                                       ExpectedVersion expected = ExpectedVersion::any()) override;
  [[nodiscard]] Result<void> truncate_stream(const StreamName& stream, StreamVersion before) override;
  [[nodiscard]] Result<void> set_stream_limits(const StreamName& stream, const StreamLimits& limits) override;
  [[nodiscard]] Result<std::optional<StreamState>> stream_state(const StreamName& stream) override;
  [[nodiscard]] Result<std::int64_t> reclaim(std::int32_t max_events = 100'000) override;

  [[nodiscard]] const ResiliencePolicy& policy() const noexcept { return policy_; }

 private:
  EventStore* store_;
  ResiliencePolicy policy_;
};

}  // namespace eventstore
