#include "eventstore/client.hpp"

#include "append_events.hpp"
#include "client_connections.hpp"
#include "eventstore/deadline.hpp"
#include "read_log_page.hpp"
#include "read_stream_page.hpp"
#include "result_fields.hpp"
#include "statement_timeout.hpp"

namespace eventstore {
namespace {

Error moved_from() { return Error{ErrorCode::invalid_argument, "this Client was moved from and has no connection"}; }

// Fails fast, before waiting for a connection, when the deadline has passed.
Result<void> check_deadline() {
  auto timeout = detail::statement_timeout_until(DeadlineScope::current(), Deadline::clock::now());
  if (!timeout) return std::unexpected(std::move(timeout.error()));
  return {};
}

}  // namespace

Result<Client> Client::connect(std::string_view dsn, const ClientOptions& options) {
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

ConnectionStatistics Client::connection_statistics() const {
  if (!connections_) return {};
  return connections_->statistics();
}

}  // namespace eventstore
