// An EventStore in memory, for the tests of applications built on this
// library: repositories, command handlers and projections run against it
// without a server, and behave as they will against one. It keeps the
// server's rules and answers with the same error codes (and SQLSTATEs):
//
// - expected versions: exactly(n), no_stream() (-1), any() (-2),
//   stream_exists() (-4); wrong_expected_version with actual_version();
// - the events of one append are written all together or not at all, with
//   contiguous versions;
// - idempotency: the same ids with equal types and payloads, stored
//   consecutively in the same stream, return the original result and write
//   nothing; an id used by another event is event_id_reused; one id twice in
//   one append is duplicate_event_id;
// - validation: stream names and event types (the shared rules), JSON
//   (checked and normalised as jsonb is: reads return `{"a": 1, "b": 2}`
//   for `{"b":2,"a":1}`, and payloads compare as jsonb), no_events,
//   too_many_events and event_too_large with the server's limits and the same
//   measure of size;
// - a global log in append order with LogPositions (the transaction id is a
//   counter per append), categories, consumer groups (the server's hash),
//   event-type filters, paging; the indexed reads by event type, time range
//   and correlation id;
// - snapshots (save_snapshot and load with the server's checks and pruning);
// - the stream lifecycle: soft delete and recreation, tombstones
//   (stream_deleted), truncate-before, max_count, max_age (against the
//   store's clock), stream_state and reclaim, honoured by every read.
//
// Known differences: a JSON number beyond the range of a double (such as
// 1e400) is refused as invalid_json, where the server accepts it; nesting
// deeper than 10,000 levels is refused (54001) where the server's limit
// depends on its stack. Positions have no gaps and there are no concurrent
// transactions, so every event is visible to read_all at once.
//
// Thread-safe: appends are serialised, reads run in parallel.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/store/full_event_store.hpp"

namespace eventstore::testing {

struct InMemoryEventStoreOptions {
  // Largest data plus metadata of one event, measured as the server measures
  // stored jsonb (eventstore.max_event_size, default 1 MiB).
  std::size_t max_event_size = 1024 * 1024;
  // Most events one append may write (eventstore.max_append_events).
  std::int32_t max_append_events = 10'000;
  // The time recorded as created_at; the system clock when empty. Give a
  // fixed time to make recorded events comparable in tests.
  std::function<std::chrono::sys_time<std::chrono::microseconds>()> clock{};
  // Snapshots kept per stream when save_snapshot gives no `keep`
  // (eventstore.snapshots_to_keep).
  std::int32_t snapshots_to_keep = 3;
  // Largest snapshot state, in bytes of stored jsonb (eventstore.max_snapshot_size).
  std::size_t max_snapshot_size = 64 * 1024 * 1024;
};

class InMemoryEventStore final : public FullEventStore {
 public:
  explicit InMemoryEventStore(InMemoryEventStoreOptions options = {});
  InMemoryEventStore(const InMemoryEventStore&) = delete;
  InMemoryEventStore& operator=(const InMemoryEventStore&) = delete;
  ~InMemoryEventStore() override;

  // Every event stored (reclaimed ones excepted, hidden ones included), in
  // log order: for assertions in tests.
  [[nodiscard]] std::vector<RecordedEvent> recorded_events() const;

  // The log's change counter (each append moves it), and a wait until it
  // differs from `seen` or `timeout` has passed: the wake-up of in-memory
  // subscriptions (InMemorySubscriptionStore), as eventstore.wait_for_log on a server.
  [[nodiscard]] std::uint64_t log_changes() const;
  std::uint64_t wait_for_log_change(std::uint64_t seen, std::chrono::milliseconds timeout) const;

 protected:
  [[nodiscard]] Result<AppendResult> do_append(const StreamName& stream, ExpectedVersion expected,
                                               std::span<const EventData> events) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> do_read_stream(const StreamName& stream,
                                                                  const ReadStreamOptions& options) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> do_read_all(std::optional<LogPosition> after, std::int32_t max_count,
                                                               const std::vector<std::string>& event_types) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> do_read_category(
      std::string_view category, std::optional<ConsumerGroup> group, std::optional<LogPosition> after,
      std::int32_t max_count, const std::vector<std::string>& event_types) override;
  [[nodiscard]] Result<StreamVersion> do_stream_version(const StreamName& stream) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> do_read_event_type(std::string_view event_type,
                                                                      std::optional<LogPosition> after,
                                                                      std::int32_t max_count) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> do_read_time_range(TimeRange range,
                                                                      std::optional<TimeRangePosition> after,
                                                                      std::int32_t max_count) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> do_read_correlated(std::string_view correlation_id,
                                                                      std::optional<LogPosition> after,
                                                                      std::int32_t max_count) override;
  [[nodiscard]] Result<void> do_save_snapshot(const StreamName& stream, StreamVersion version,
                                              std::string_view state_json, const SaveSnapshotOptions& options) override;
  [[nodiscard]] Result<LoadedStream> do_load(const StreamName& stream, const LoadOptions& options) override;
  [[nodiscard]] Result<StreamVersion> do_delete_stream(const StreamName& stream, ExpectedVersion expected) override;
  [[nodiscard]] Result<StreamVersion> do_tombstone_stream(const StreamName& stream, ExpectedVersion expected) override;
  [[nodiscard]] Result<void> do_truncate_stream(const StreamName& stream, StreamVersion before) override;
  [[nodiscard]] Result<void> do_set_stream_limits(const StreamName& stream, const StreamLimits& limits) override;
  [[nodiscard]] Result<std::optional<StreamState>> do_stream_state(const StreamName& stream) override;
  [[nodiscard]] Result<std::int64_t> do_reclaim(std::int32_t max_events) override;

 private:
  struct Contents;

  [[nodiscard]] Result<std::vector<RecordedEvent>> read_log(std::optional<std::string_view> category,
                                                            std::optional<ConsumerGroup> group,
                                                            std::optional<LogPosition> after, std::int32_t max_count,
                                                            const std::vector<std::string>& event_types) const;

  void announce_log_change();

  InMemoryEventStoreOptions options_;
  mutable std::shared_mutex mutex_;
  std::unique_ptr<Contents> contents_;
  mutable std::mutex change_mutex_;
  mutable std::condition_variable log_changed_;
  std::uint64_t log_changes_ = 0;
};

}  // namespace eventstore::testing
