// A connection to an event store: append to streams, read them a page at a
// time or lazily, read the global log and categories from a checkpoint (and
// as members of consumer groups), the indexed reads, snapshots, the stream
// lifecycle, and the operators' statistics.
//
// A Client owns a pool of libpq connections and is thread-safe: any number of
// threads may call it at once, each call taking a connection for its
// duration (see ClientOptions). Calls run in autocommit, each on its own;
// statements are prepared once per connection. A connection that breaks is
// closed and replaced, so after connection_lost a retry is just calling
// again; a retried append with the same event ids is written only once.
// When the calling thread has a DeadlineScope, calls fail with timeout once
// it has passed and the server cancels statements that outlive it.
//
// Moving or destroying a Client while calls on it are running (or while a
// stream range still reads through it) is an error of the caller.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/postgres/client_options.hpp"
#include "eventstore/postgres/connection_statistics.hpp"
#include "eventstore/postgres/store_statistics.hpp"
#include "eventstore/store/append_result.hpp"
#include "eventstore/store/event_data.hpp"
#include "eventstore/store/expected_version.hpp"
#include "eventstore/store/full_event_store.hpp"
#include "eventstore/store/log_position.hpp"
#include "eventstore/store/read_stream_options.hpp"
#include "eventstore/store/recorded_event.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/stream_event_range.hpp"
#include "eventstore/store/stream_name.hpp"
#include "eventstore/store/stream_version.hpp"
#include "eventstore/store/subscription_store.hpp"

namespace eventstore {

namespace detail {
class ClientConnections;
}

// The event store on a PostgreSQL server with pg_eventstore: appends and
// reads (EventStore), snapshots (SnapshotStore) and stream administration
// (StreamAdministration), whose declarations say what each call does.
class Client final : public FullEventStore, public SubscriptionStore {
 public:
  // `dsn` is a libpq connection string or URI ("host=... dbname=..." or
  // "postgresql://..."). Opens options.pool.min_size connections (at least
  // one). invalid_argument when the DSN cannot be parsed or an option is out
  // of range, connection_lost when the server cannot be reached or refuses
  // the login.
  [[nodiscard]] static Result<Client> connect(std::string_view dsn, const ClientOptions& options = {});
  // The same for a C string, such as std::getenv's: a null pointer, like an
  // empty DSN, is invalid_argument.
  [[nodiscard]] static Result<Client> connect(const char* dsn, const ClientOptions& options = {});

  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client() override;

  // For operators (eventstore.stats(): needs eventstore_admin): sizes,
  // counters since the server started, and what holds log readers back.
  [[nodiscard]] Result<StoreStatistics> stats();
  // Per category and per event type (the views category_stats and
  // event_type_stats), ordered by name. Each walks every stored event.
  [[nodiscard]] Result<std::vector<CategoryStatistics>> category_stats();
  [[nodiscard]] Result<std::vector<EventTypeStatistics>> event_type_stats();

  // What the pool and the pipelined appender are doing now.
  [[nodiscard]] ConnectionStatistics connection_statistics() const;

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

  [[nodiscard]] Result<std::vector<PartitionLease>> do_join(const SubscriptionMembership& member) override;
  [[nodiscard]] Result<bool> do_acknowledge(const SubscriptionMembership& member, const PartitionLease& lease,
                                            LogPosition position) override;
  [[nodiscard]] Result<void> do_leave(const SubscriptionMembership& member) override;
  [[nodiscard]] Result<void> do_park(const SubscriptionMembership& member, const PartitionLease& lease,
                                     const RecordedEvent& event, std::string_view error,
                                     std::int32_t attempts) override;
  [[nodiscard]] Result<std::vector<ParkedEvent>> do_parked_events_to_replay(const SubscriptionMembership& member,
                                                                            std::int32_t max_count) override;
  [[nodiscard]] Result<void> do_resolve_parked(const SubscriptionMembership& member, const PartitionLease& lease,
                                               const EventId& event_id) override;
  [[nodiscard]] Result<std::int32_t> do_replay_parked(std::string_view subscription,
                                                      std::optional<EventId> event_id) override;
  [[nodiscard]] Result<std::int32_t> do_skip_parked(std::string_view subscription, const EventId& event_id) override;
  [[nodiscard]] Result<std::vector<ParkedEvent>> do_parked_events(std::string_view subscription) override;
  [[nodiscard]] Result<void> do_reset(std::string_view subscription, std::optional<LogPosition> position) override;
  [[nodiscard]] Result<std::vector<PartitionLag>> do_lag(std::string_view subscription) override;
  [[nodiscard]] Result<std::optional<std::uint64_t>> do_wait_for_log(std::optional<std::uint64_t> seen,
                                                                     std::chrono::milliseconds timeout) override;

 private:
  explicit Client(std::unique_ptr<detail::ClientConnections> connections) noexcept;

  // Null only in a moved-from Client.
  std::unique_ptr<detail::ClientConnections> connections_;
};

}  // namespace eventstore
