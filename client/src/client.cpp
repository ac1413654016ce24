#include "eventstore/client.hpp"

#include "append_events.hpp"
#include "connection.hpp"
#include "read_log_page.hpp"
#include "read_stream_page.hpp"
#include "result_fields.hpp"

namespace eventstore {
namespace {

Error moved_from() { return Error{ErrorCode::invalid_argument, "this Client was moved from and has no connection"}; }

}  // namespace

Result<Client> Client::connect(std::string_view dsn) {
  auto connection = detail::Connection::open(dsn);
  if (!connection) return std::unexpected(std::move(connection.error()));
  return Client{std::move(*connection)};
}

Client::Client(std::unique_ptr<detail::Connection> connection) noexcept : connection_(std::move(connection)) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

Result<AppendResult> Client::append(const StreamName& stream, ExpectedVersion expected,
                                    std::span<const EventData> events) {
  if (!connection_) return std::unexpected(moved_from());
  return detail::append_events(*connection_, stream, expected, events);
}

Result<std::vector<RecordedEvent>> Client::read_stream(const StreamName& stream, const ReadStreamOptions& options) {
  if (!connection_) return std::unexpected(moved_from());
  std::vector<RecordedEvent> page;
  if (auto read = detail::read_stream_page(*connection_, stream, options, page); !read)
    return std::unexpected(std::move(read.error()));
  return page;
}

Result<std::vector<RecordedEvent>> Client::read_all(std::optional<LogPosition> after, std::int32_t max_count,
                                                    const std::vector<std::string>& event_types) {
  if (!connection_) return std::unexpected(moved_from());
  return detail::read_log_page(*connection_, std::nullopt, after, max_count, event_types);
}

Result<std::vector<RecordedEvent>> Client::read_category(std::string_view category, std::optional<LogPosition> after,
                                                         std::int32_t max_count,
                                                         const std::vector<std::string>& event_types) {
  if (!connection_) return std::unexpected(moved_from());
  return detail::read_log_page(*connection_, category, after, max_count, event_types);
}

Result<StreamVersion> Client::stream_version(const StreamName& stream) {
  if (!connection_) return std::unexpected(moved_from());
  detail::BinaryParameters<1> parameters;
  parameters.set_text(0, stream.value());
  auto result = connection_->execute(detail::statements::stream_version, parameters);
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

}  // namespace eventstore
