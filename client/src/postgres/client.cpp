#include "eventstore/postgres/client.hpp"

#include "append_events.hpp"
#include "client_connections.hpp"
#include "eventstore/store/deadline.hpp"
#include "indexed_reads.hpp"
#include "lifecycle_calls.hpp"
#include "pq/statement_timeout.hpp"
#include "read_log_page.hpp"
#include "read_stream_page.hpp"
#include "snapshot_calls.hpp"
#include "store_statistics_rows.hpp"
#include "subscription_calls.hpp"

namespace eventstore {
namespace {

// What on_connection passes to a call that has no pipelined path.
struct NoPipelinedPath {};

// Every call starts here: a Client that was moved from, or a deadline that
// has already passed, fails before waiting for a connection; then `call` runs
// on a pooled connection, within the calling thread's deadline. Appends go to
// `pipelined` instead when the Client pipelines them (the appender takes its
// connections from the pool itself).
template <class Call, class Pipelined = NoPipelinedPath>
auto on_connection(detail::ClientConnections* connections, Call call, Pipelined pipelined = {})
    -> decltype(call(std::declval<detail::pq::Connection&>())) {
  if (connections == nullptr)
    return std::unexpected(Error{ErrorCode::invalid_argument, "this Client was moved from and has no connection"});
  auto timeout = detail::pq::statement_timeout_until(DeadlineScope::current(), Deadline::clock::now());
  if (!timeout) return std::unexpected(std::move(timeout.error()));
  if constexpr (!std::is_same_v<Pipelined, NoPipelinedPath>)
    if (detail::PipelinedAppender* appender = connections->appender()) return pipelined(*appender);
  auto connection = connections->acquire();
  if (!connection) return std::unexpected(std::move(connection.error()));
  return call(**connection);
}

}  // namespace

Result<Client> Client::connect(const char* dsn, const ClientOptions& options) {
  if (dsn == nullptr)
    return std::unexpected(
        Error{ErrorCode::invalid_argument, "no DSN: the connection string is a null pointer (an unset variable?)"});
  return connect(std::string_view{dsn}, options);
}

Result<Client> Client::connect(std::string_view dsn, const ClientOptions& options) {
  // libpq would read an empty string as "every default from the environment"
  // and stop at a NUL byte: neither is what the caller wrote.
  if (dsn.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos)
    return std::unexpected(Error{ErrorCode::invalid_argument, "the DSN is empty: give a libpq connection string"});
  if (dsn.find('\0') != std::string_view::npos)
    return std::unexpected(Error{ErrorCode::invalid_argument, "the DSN contains a NUL byte"});
  auto connections = detail::ClientConnections::open(dsn, options);
  if (!connections) return std::unexpected(std::move(connections.error()));
  return Client{std::move(*connections)};
}

Client::Client(std::unique_ptr<detail::ClientConnections> connections) noexcept
    : connections_(std::move(connections)) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

Result<AppendResult> Client::do_append(const StreamName& stream, ExpectedVersion expected,
                                       std::span<const EventData> events) {
  return on_connection(
      connections_.get(),
      [&](detail::pq::Connection& connection) { return detail::append_events(connection, stream, expected, events); },
      [&](detail::PipelinedAppender& appender) { return appender.append(stream, expected, events); });
}

Result<std::vector<RecordedEvent>> Client::do_read_stream(const StreamName& stream, const ReadStreamOptions& options) {
  return on_connection(connections_.get(),
                       [&](detail::pq::Connection& connection) -> Result<std::vector<RecordedEvent>> {
                         std::vector<RecordedEvent> page;
                         if (auto read = detail::read_stream_page(connection, stream, options, page); !read)
                           return std::unexpected(std::move(read.error()));
                         return page;
                       });
}

Result<std::vector<RecordedEvent>> Client::do_read_all(std::optional<LogPosition> after, std::int32_t max_count,
                                                       const std::vector<std::string>& event_types) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::read_log_page(connection, std::nullopt, after, max_count, event_types);
  });
}

Result<StreamVersion> Client::do_stream_version(const StreamName& stream) {
  return on_connection(connections_.get(),
                       [&](detail::pq::Connection& connection) { return detail::stream_version(connection, stream); });
}

Result<std::vector<RecordedEvent>> Client::do_read_category(std::string_view category,
                                                            std::optional<ConsumerGroup> group,
                                                            std::optional<LogPosition> after, std::int32_t max_count,
                                                            const std::vector<std::string>& event_types) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::read_log_page(connection, category, after, max_count, event_types, group);
  });
}

Result<std::vector<RecordedEvent>> Client::do_read_event_type(std::string_view event_type,
                                                              std::optional<LogPosition> after,
                                                              std::int32_t max_count) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::read_event_type_page(connection, event_type, after, max_count);
  });
}

Result<std::vector<RecordedEvent>> Client::do_read_time_range(TimeRange range, std::optional<TimeRangePosition> after,
                                                              std::int32_t max_count) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::read_time_range_page(connection, range, after, max_count);
  });
}

Result<std::vector<RecordedEvent>> Client::do_read_correlated(std::string_view correlation_id,
                                                              std::optional<LogPosition> after,
                                                              std::int32_t max_count) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::read_correlated_page(connection, correlation_id, after, max_count);
  });
}

Result<void> Client::do_save_snapshot(const StreamName& stream, StreamVersion version, std::string_view state_json,
                                      const SaveSnapshotOptions& options) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::save_snapshot(connection, stream, version, state_json, options);
  });
}

Result<LoadedStream> Client::do_load(const StreamName& stream, const LoadOptions& options) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::load_stream(connection, stream, options);
  });
}

Result<StreamVersion> Client::do_delete_stream(const StreamName& stream, ExpectedVersion expected) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::delete_stream(connection, stream, expected, detail::StreamDeletion::soft);
  });
}

Result<StreamVersion> Client::do_tombstone_stream(const StreamName& stream, ExpectedVersion expected) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::delete_stream(connection, stream, expected, detail::StreamDeletion::tombstone);
  });
}

Result<void> Client::do_truncate_stream(const StreamName& stream, StreamVersion before) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::truncate_stream(connection, stream, before);
  });
}

Result<void> Client::do_set_stream_limits(const StreamName& stream, const StreamLimits& limits) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::set_stream_limits(connection, stream, limits);
  });
}

Result<std::optional<StreamState>> Client::do_stream_state(const StreamName& stream) {
  return on_connection(connections_.get(),
                       [&](detail::pq::Connection& connection) { return detail::stream_state(connection, stream); });
}

Result<std::int64_t> Client::do_reclaim(std::int32_t max_events) {
  return on_connection(connections_.get(),
                       [&](detail::pq::Connection& connection) { return detail::reclaim(connection, max_events); });
}

Result<StoreStatistics> Client::stats() {
  return on_connection(connections_.get(),
                       [](detail::pq::Connection& connection) { return detail::read_store_statistics(connection); });
}

Result<std::vector<CategoryStatistics>> Client::category_stats() {
  return on_connection(connections_.get(),
                       [](detail::pq::Connection& connection) { return detail::read_category_statistics(connection); });
}

Result<std::vector<EventTypeStatistics>> Client::event_type_stats() {
  return on_connection(connections_.get(), [](detail::pq::Connection& connection) {
    return detail::read_event_type_statistics(connection);
  });
}

ConnectionStatistics Client::connection_statistics() const {
  if (!connections_) return {};
  return connections_->statistics();
}

// ---- subscriptions (subscription_calls.hpp)

Result<std::vector<PartitionLease>> Client::do_join(const SubscriptionMembership& member) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::join_subscription(connection, member);
  });
}

Result<bool> Client::do_acknowledge(const SubscriptionMembership& member, const PartitionLease& lease,
                                    LogPosition position) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::acknowledge(connection, member, lease, position);
  });
}

Result<void> Client::do_leave(const SubscriptionMembership& member) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::leave_subscription(connection, member);
  });
}

Result<void> Client::do_park(const SubscriptionMembership& member, const PartitionLease& lease,
                             const RecordedEvent& event, std::string_view error, std::int32_t attempts) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::park_event(connection, member, lease, event, error, attempts);
  });
}

Result<std::vector<ParkedEvent>> Client::do_parked_events_to_replay(const SubscriptionMembership& member,
                                                                    std::int32_t max_count) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::parked_events_to_replay(connection, member, max_count);
  });
}

Result<void> Client::do_resolve_parked(const SubscriptionMembership& member, const PartitionLease& lease,
                                       const EventId& event_id) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::resolve_parked_event(connection, member, lease, event_id);
  });
}

Result<std::int32_t> Client::do_replay_parked(std::string_view subscription, std::optional<EventId> event_id) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::replay_parked_events(connection, subscription, event_id);
  });
}

Result<std::int32_t> Client::do_skip_parked(std::string_view subscription, const EventId& event_id) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::skip_parked_event(connection, subscription, event_id);
  });
}

Result<std::vector<ParkedEvent>> Client::do_parked_events(std::string_view subscription) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::parked_events(connection, subscription);
  });
}

Result<void> Client::do_reset(std::string_view subscription, std::optional<LogPosition> position) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::reset_subscription(connection, subscription, position);
  });
}

Result<std::vector<PartitionLag>> Client::do_lag(std::string_view subscription) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::subscription_lag(connection, subscription);
  });
}

Result<std::optional<std::uint64_t>> Client::do_wait_for_log(std::optional<std::uint64_t> seen,
                                                             std::chrono::milliseconds timeout) {
  return on_connection(connections_.get(), [&](detail::pq::Connection& connection) {
    return detail::wait_for_log(connection, seen, timeout);
  });
}

}  // namespace eventstore
