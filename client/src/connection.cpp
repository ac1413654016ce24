#include "connection.hpp"

#include <string>
#include <type_traits>

#include "libpq_error.hpp"

namespace eventstore::detail {
namespace {

static_assert(std::is_same_v<Oid, std::uint32_t>, "type ids are passed to libpq as Oid");

constexpr int binary_results = 1;
// invalid_sql_statement_name: the session lost its prepared statements (DISCARD ALL, a pooler).
constexpr std::string_view prepared_statement_missing = "26000";

bool looks_like_connection_string(std::string_view dsn) {
  return dsn.find('=') != std::string_view::npos || dsn.starts_with("postgresql://") ||
         dsn.starts_with("postgres://");
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

bool succeeded(const PGresult* result) {
  if (result == nullptr) return false;
  ExecStatusType status = PQresultStatus(result);
  return status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
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

Result<void> Connection::reconnect_if_lost() {
  if (PQstatus(handle_.get()) == CONNECTION_OK) return {};
  prepared_.fill(false);
  PQreset(handle_.get());
  if (PQstatus(handle_.get()) != CONNECTION_OK) return std::unexpected(error_from_failed_connection(handle_.get()));
  return {};
}

Result<void> Connection::prepare(const Statement& statement) {
  QueryResult result{PQprepare(handle_.get(), statement.name, statement.sql, statement.parameter_count,
                               statement.parameter_types)};
  if (!succeeded(result.get())) return std::unexpected(error_from_failed_result(result.get(), handle_.get()));
  prepared_[statement.index] = true;
  return {};
}

Result<QueryResult> Connection::execute(const Statement& statement, const char* const* values, const int* lengths,
                                        const int* formats) {
  if (auto connected = reconnect_if_lost(); !connected) return std::unexpected(connected.error());
  for (int attempt = 0;; ++attempt) {
    if (!prepared_[statement.index])
      if (auto prepared = prepare(statement); !prepared) return std::unexpected(prepared.error());
    QueryResult result{PQexecPrepared(handle_.get(), statement.name, statement.parameter_count, values, lengths,
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

}  // namespace eventstore::detail
