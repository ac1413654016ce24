#include "eventstore/postgres/client.hpp"

#include "append_events.hpp"
#include "client_connections.hpp"
#include "eventstore/store/deadline.hpp"
#include "indexed_reads.hpp"
#include "lifecycle_calls.hpp"
#include "read_log_page.hpp"
#include "read_stream_page.hpp"
#include "result_fields.hpp"
#include "snapshot_calls.hpp"
#include "statement_timeout.hpp"
#include "store_statistics_rows.hpp"

namespace eventstore {
namespace {

Error moved_from() { return Error{ErrorCode::invalid_argument, "this Client was moved from and has no connection"}; }

// Fails fast, before waiting for a connection, when the deadline has passed.
Result<void> check_deadline() {
  auto timeout = detail::statement_timeout_until(DeadlineScope::current(), Deadline::clock::now());
  if (!timeout) return std::unexpected(std::move(timeout.error()));
  return {};
}

// Runs `call` on a pooled connection, within the calling thread's deadline.
template <class Call>
auto on_connection(detail::ClientConnections* connections, Call call)
    -> decltype(call(std::declval<detail::Connection&>())) {
  if (connections == nullptr) return std::unexpected(moved_from());
  if (auto in_time = check_deadline(); !in_time) return std::unexpected(in_time.error());
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

Result<AppendResult> Client::append(const StreamName& stream, ExpectedVersion expected,
                                    std::span<const EventData> events) {
  if (!connections_) return std::unexpected(moved_from());
  if (auto in_time = check_deadline(); !in_time) return std::unexpected(in_time.error());
  if (detail::PipelinedAppender* appender = connections_->appender()) return appender->append(stream, expected, events);
  auto connection = connections_->acquire();
  if (!connection) return std::unexpected(std::move(connection.error()));
  return detail::append_events(**connection, stream, expected, events);
}

Result<std::vector<RecordedEvent>> Client::read_stream(const StreamName& stream, const ReadStreamOptions& options) {
  if (!connections_) return std::unexpected(moved_from());
  if (auto in_time = check_deadline(); !in_time) return std::unexpected(in_time.error());
  auto connection = connections_->acquire();
  if (!connection) return std::unexpected(std::move(connection.error()));
  std::vector<RecordedEvent> page;
  if (auto read = detail::read_stream_page(**connection, stream, options, page); !read)
    return std::unexpected(std::move(read.error()));
  return page;
}

Result<std::vector<RecordedEvent>> Client::read_all(std::optional<LogPosition> after, std::int32_t max_count,
                                                    const std::vector<std::string>& event_types) {
  if (!connections_) return std::unexpected(moved_from());
  if (auto in_time = check_deadline(); !in_time) return std::unexpected(in_time.error());
  auto connection = connections_->acquire();
  if (!connection) return std::unexpected(std::move(connection.error()));
  return detail::read_log_page(**connection, std::nullopt, after, max_count, event_types);
}

Result<std::vector<RecordedEvent>> Client::read_category(std::string_view category, std::optional<LogPosition> after,
                                                         std::int32_t max_count,
                                                         const std::vector<std::string>& event_types) {
  if (!connections_) return std::unexpected(moved_from());
  if (auto in_time = check_deadline(); !in_time) return std::unexpected(in_time.error());
  auto connection = connections_->acquire();
  if (!connection) return std::unexpected(std::move(connection.error()));
  return detail::read_log_page(**connection, category, after, max_count, event_types);
}

Result<StreamVersion> Client::stream_version(const StreamName& stream) {
  if (!connections_) return std::unexpected(moved_from());
  if (auto in_time = check_deadline(); !in_time) return std::unexpected(in_time.error());
  auto connection = connections_->acquire();
  if (!connection) return std::unexpected(std::move(connection.error()));
  detail::BinaryParameters<1> parameters;
  parameters.set_text(0, stream.value());
  auto result = (*connection)->execute(detail::statements::stream_version, parameters);
  if (!result) return std::unexpected(std::move(result.error()));
  static constexpr std::uint32_t column_types[] = {detail::type_oid::int8};
  if (auto checked = detail::check_columns(result->get(), column_types, 1, "eventstore.stream_version"); !checked)
    return std::unexpected(checked.error());
  if (PQntuples(result->get()) != 1)
    return std::unexpected(Error{ErrorCode::internal, "eventstore.stream_version returned no row"});
  auto version = detail::int64_field(result->get(), 0, 0);
  if (!version) return std::unexpected(std::move(version.error()));
  return StreamVersion{*version};
}

Result<std::vector<RecordedEvent>> Client::read_category(std::string_view category, ConsumerGroup group,
                                                         std::optional<LogPosition> after, std::int32_t max_count,
                                                         const std::vector<std::string>& event_types) {
  return on_connection(connections_.get(), [&](detail::Connection& connection) {
    return detail::read_log_page(connection, category, after, max_count, event_types, group);
  });
}

Result<std::vector<RecordedEvent>> Client::read_event_type(std::string_view event_type,
                                                           std::optional<LogPosition> after, std::int32_t max_count) {
  return on_connection(connections_.get(), [&](detail::Connection& connection) {
    return detail::read_event_type_page(connection, event_type, after, max_count);
  });
}

Result<std::vector<RecordedEvent>> Client::read_time_range(TimeRange range, std::optional<TimeRangePosition> after,
                                                           std::int32_t max_count) {
  return on_connection(connections_.get(), [&](detail::Connection& connection) {
    return detail::read_time_range_page(connection, range, after, max_count);
  });
}

Result<std::vector<RecordedEvent>> Client::read_correlated(std::string_view correlation_id,
                                                           std::optional<LogPosition> after, std::int32_t max_count) {
  return on_connection(connections_.get(), [&](detail::Connection& connection) {
    return detail::read_correlated_page(connection, correlation_id, after, max_count);
  });
}

Result<void> Client::save_snapshot(const StreamName& stream, StreamVersion version, std::string_view state_json,
                                   const SaveSnapshotOptions& options) {
  return on_connection(connections_.get(), [&](detail::Connection& connection) {
    return detail::save_snapshot(connection, stream, version, state_json, options);
  });
}

Result<LoadedStream> Client::load(const StreamName& stream, const LoadOptions& options) {
  return on_connection(connections_.get(), [&](detail::Connection& connection) {
    return detail::load_stream(connection, stream, options);
  });
}

Result<StreamVersion> Client::delete_stream(const StreamName& stream, ExpectedVersion expected) {
  return on_connection(connections_.get(), [&](detail::Connection& connection) {
    return detail::delete_stream(connection, stream, expected, detail::StreamDeletion::soft);
  });
}

Result<StreamVersion> Client::tombstone_stream(const StreamName& stream, ExpectedVersion expected) {
  return on_connection(connections_.get(), [&](detail::Connection& connection) {
    return detail::delete_stream(connection, stream, expected, detail::StreamDeletion::tombstone);
  });
}

Result<void> Client::truncate_stream(const StreamName& stream, StreamVersion before) {
  return on_connection(connections_.get(), [&](detail::Connection& connection) {
    return detail::truncate_stream(connection, stream, before);
  });
}

Result<void> Client::set_stream_limits(const StreamName& stream, const StreamLimits& limits) {
  return on_connection(connections_.get(), [&](detail::Connection& connection) {
    return detail::set_stream_limits(connection, stream, limits);
  });
}

Result<std::optional<StreamState>> Client::stream_state(const StreamName& stream) {
  return on_connection(connections_.get(),
                       [&](detail::Connection& connection) { return detail::stream_state(connection, stream); });
}

Result<std::int64_t> Client::reclaim(std::int32_t max_events) {
  return on_connection(connections_.get(),
                       [&](detail::Connection& connection) { return detail::reclaim(connection, max_events); });
}

Result<StoreStatistics> Client::stats() {
  return on_connection(connections_.get(),
                       [](detail::Connection& connection) { return detail::read_store_statistics(connection); });
}

Result<std::vector<CategoryStatistics>> Client::category_stats() {
  return on_connection(connections_.get(),
                       [](detail::Connection& connection) { return detail::read_category_statistics(connection); });
}

Result<std::vector<EventTypeStatistics>> Client::event_type_stats() {
  return on_connection(connections_.get(),
                       [](detail::Connection& connection) { return detail::read_event_type_statistics(connection); });
}

ConnectionStatistics Client::connection_statistics() const {
  if (!connections_) return {};
  return connections_->statistics();
}

}  // namespace eventstore
