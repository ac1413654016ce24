#include "connection.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <string>
#include <type_traits>

#include "connection_results.hpp"
#include "libpq_error.hpp"
#include "statement_timeout.hpp"

namespace eventstore::detail::pq {
namespace {

static_assert(std::is_same_v<Oid, std::uint32_t>, "type ids are passed to libpq as Oid");

bool looks_like_connection_string(std::string_view dsn) {
  return dsn.find('=') != std::string_view::npos || dsn.starts_with("postgresql://") || dsn.starts_with("postgres://");
}

// Catches a malformed connection string before libpq would report it as a failed connection.
Result<void> check_connection_string(const std::string& dsn) {
  if (!looks_like_connection_string(dsn)) return {};
  char* problem = nullptr;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &problem);
  if (options != nullptr) {
    PQconninfoFree(options);
    return {};
  }
  std::string message = problem != nullptr ? problem : "out of memory parsing the connection string";
  if (problem != nullptr) PQfreemem(problem);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  return std::unexpected(Error{ErrorCode::invalid_argument, "invalid connection string: " + message});
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::open(std::string_view dsn) {
  std::string connection_string{dsn};
  if (auto checked = check_connection_string(connection_string); !checked) return std::unexpected(checked.error());
  // The DSN's own settings override the application name; the client
  // encoding is forced to UTF-8 because names and JSON travel as UTF-8.
  const char* const keywords[] = {"fallback_application_name", "dbname", "client_encoding", nullptr};
  const char* const values[] = {"pg_eventstore client", connection_string.c_str(), "UTF8", nullptr};
  ConnectionHandle handle{PQconnectdbParams(keywords, values, 1)};
  if (handle == nullptr || PQstatus(handle.get()) != CONNECTION_OK)
    return std::unexpected(error_from_failed_connection(handle.get()));
  return std::unique_ptr<Connection>(new Connection(std::move(handle)));
}

bool Connection::healthy_after_idle() const {
  if (broken_ || PQstatus(handle_.get()) != CONNECTION_OK) return false;
  pollfd socket{PQsocket(handle_.get()), POLLIN, 0};
  return ::poll(&socket, 1, 0) == 0;
}

bool Connection::reusable() const {
  return !broken_ && PQstatus(handle_.get()) == CONNECTION_OK && PQtransactionStatus(handle_.get()) == PQTRANS_IDLE &&
         PQpipelineStatus(handle_.get()) == PQ_PIPELINE_OFF;
}

Result<void> Connection::prepare(const Statement& statement) {
  QueryResult result{
      PQprepare(handle_.get(), statement.name, statement.sql, statement.parameter_count, statement.parameter_types)};
  if (!succeeded(result.get())) return std::unexpected(error_from_failed_result(result.get(), handle_.get()));
  prepared_[statement.slot] = true;
  return {};
}

Result<void> Connection::prepare_once(const Statement& statement) {
  if (statement.planned_per_call || prepared_[statement.slot]) return {};
  return prepare(statement);
}

Result<QueryResult> Connection::execute(const Statement& statement, const char* const* values, const int* lengths,
                                        const int* formats) {
  std::optional<Deadline> deadline = DeadlineScope::current();
  if (deadline) {
    auto timeout = statement_timeout_until(deadline, Deadline::clock::now());
    if (!timeout) return std::unexpected(std::move(timeout.error()));
    PipelineItem item{&statement, values, lengths, formats, deadline};
    return std::move(execute_pipeline(std::span{&item, 1}).front());
  }
  for (int attempt = 0;; ++attempt) {
    if (auto prepared = prepare_once(statement); !prepared) return std::unexpected(prepared.error());
    QueryResult result{statement.planned_per_call
                           ? PQexecParams(handle_.get(), statement.sql, statement.parameter_count,
                                          statement.parameter_types, values, lengths, formats, binary_results)
                           : PQexecPrepared(handle_.get(), statement.name, statement.parameter_count, values, lengths,
                                            formats, binary_results)};
    if (succeeded(result.get())) return result;
    Error error = error_from_failed_result(result.get(), handle_.get());
    if (attempt == 0 && error.sqlstate() == prepared_statement_missing && error.code() != ErrorCode::connection_lost) {
      prepared_.fill(false);
      continue;
    }
    return std::unexpected(std::move(error));
  }
}

Result<QueryResult> Connection::execute_text(std::string_view sql,
                                             std::span<const std::optional<std::string>> parameters) {
  std::string text{sql};
  QueryResult result{nullptr};
  if (parameters.empty()) {
    result = QueryResult{PQexec(handle_.get(), text.c_str())};
  } else {
    std::vector<const char*> values;
    values.reserve(parameters.size());
    for (const auto& parameter : parameters) values.push_back(parameter ? parameter->c_str() : nullptr);
    result = QueryResult{PQexecParams(handle_.get(), text.c_str(), static_cast<int>(values.size()), nullptr,
                                      values.data(), nullptr, nullptr, 0)};
  }
  if (succeeded(result.get())) return result;
  Error error = error_from_failed_result(result.get(), handle_.get());
  if (error.code() == ErrorCode::connection_lost) broken_ = true;
  return std::unexpected(std::move(error));
}

bool Connection::in_transaction() const {
  auto status = PQtransactionStatus(handle_.get());
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

}  // namespace eventstore::detail::pq
