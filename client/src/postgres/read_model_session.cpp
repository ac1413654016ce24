#include "eventstore/postgres/read_model_session.hpp"

#include "pq/connection.hpp"

namespace eventstore {

Result<ReadModelSession> ReadModelSession::connect(std::string_view dsn) {
  auto connection = detail::pq::Connection::open(dsn);
  if (!connection) return std::unexpected(std::move(connection.error()));
  return ReadModelSession{std::string{dsn}, std::move(*connection)};
}

ReadModelSession::ReadModelSession(std::string dsn, std::unique_ptr<detail::pq::Connection> connection) noexcept
    : dsn_(std::move(dsn)), connection_(std::move(connection)) {}

ReadModelSession::ReadModelSession(ReadModelSession&&) noexcept = default;
ReadModelSession& ReadModelSession::operator=(ReadModelSession&&) noexcept = default;
ReadModelSession::~ReadModelSession() = default;

Result<void> ReadModelSession::reconnect_if_broken() {
  if (connection_ && connection_->reusable()) return {};
  auto connection = detail::pq::Connection::open(dsn_);
  if (!connection) return std::unexpected(std::move(connection.error()));
  connection_ = std::move(*connection);
  return {};
}

Result<SqlRows> ReadModelSession::execute(std::string_view sql,
                                          const std::vector<std::optional<std::string>>& parameters) {
  if (!connection_)
    return std::unexpected(Error{ErrorCode::connection_lost, "the read model session has no connection"});
  if (!connection_->in_transaction())
    if (auto connected = reconnect_if_broken(); !connected) return std::unexpected(connected.error());
  auto result = connection_->execute_text(sql, parameters);
  if (!result) return std::unexpected(std::move(result.error()));
  detail::pq::Rows rows = *result;
  SqlRows text;
  for (int row = 0; row < rows.row_count(); ++row) {
    std::vector<std::optional<std::string>> values;
    for (int column = 0; column < rows.column_count(); ++column)
      values.push_back(rows.is_null(row, column) ? std::nullopt
                                                 : std::optional<std::string>{std::string{rows.bytes(row, column)}});
    text.rows.push_back(std::move(values));
  }
  text.affected = rows.affected_rows();
  return text;
}

Result<void> ReadModelSession::begin() {
  if (auto connected = reconnect_if_broken(); !connected) return std::unexpected(connected.error());
  auto begun = execute("BEGIN");
  if (!begun) return std::unexpected(begun.error());
  return {};
}

Result<void> ReadModelSession::commit() {
  auto committed = execute("COMMIT");
  if (!committed) return std::unexpected(committed.error());
  return {};
}

void ReadModelSession::rollback() noexcept {
  if (connection_ && connection_->in_transaction()) (void)connection_->execute_text("ROLLBACK", {});
}

bool ReadModelSession::in_transaction() const noexcept { return connection_ && connection_->in_transaction(); }

}  // namespace eventstore
