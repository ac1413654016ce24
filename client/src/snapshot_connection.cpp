#include "snapshot_connection.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <limits>
#include <optional>
#include <string>

#include "eventstore/deadline.hpp"
#include "libpq_error.hpp"
#include "type_oids.hpp"

namespace eventstore::detail {
namespace {

constexpr int binary_format = 1;
// invalid_sql_statement_name: the session lost its prepared statements (DISCARD ALL).
constexpr std::string_view prepared_statement_missing = "26000";

constexpr std::uint32_t save_snapshot_types[] = {type_oid::text, type_oid::int8, type_oid::jsonb, type_oid::int4,
                                                 type_oid::int4};
constexpr std::uint32_t load_types[] = {type_oid::text, type_oid::int4, type_oid::int4};
constexpr std::uint32_t set_statement_timeout_types[] = {type_oid::text};

const SnapshotStatement set_statement_timeout{2, "eventstore_snapshots_set_statement_timeout",
                                              "SELECT pg_catalog.set_config('statement_timeout', $1, true)", 1,
                                              set_statement_timeout_types};

bool succeeded(const PGresult* result) {
  if (result == nullptr) return false;
  ExecStatusType status = PQresultStatus(result);
  return status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
}

bool looks_like_connection_string(std::string_view dsn) {
  return dsn.find('=') != std::string_view::npos || dsn.starts_with("postgresql://") ||
         dsn.starts_with("postgres://");
}

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

namespace snapshot_statements {
const SnapshotStatement save_snapshot{0, "eventstore_snapshots_save",
                                      "SELECT eventstore.save_snapshot($1, $2, $3, $4, $5)", 5, save_snapshot_types};
const SnapshotStatement load{1, "eventstore_snapshots_load",
                             "SELECT is_snapshot, version, position, transaction_id, event_id, event_type, data, "
                             "metadata, created_at FROM eventstore.load($1, $2, $3)",
                             3, load_types};
}  // namespace snapshot_statements

Result<std::unique_ptr<SnapshotConnection>> SnapshotConnection::open(std::string_view dsn) {
  std::string connection_string{dsn};
  if (auto checked = check_connection_string(connection_string); !checked) return std::unexpected(checked.error());
  const char* const keywords[] = {"fallback_application_name", "dbname", "client_encoding", nullptr};
  const char* const values[] = {"pg_eventstore snapshots", connection_string.c_str(), "UTF8", nullptr};
  ConnectionHandle handle{PQconnectdbParams(keywords, values, 1)};
  if (handle == nullptr || PQstatus(handle.get()) != CONNECTION_OK)
    return std::unexpected(error_from_failed_connection(handle.get()));
  return std::unique_ptr<SnapshotConnection>(new SnapshotConnection(std::move(handle)));
}

bool SnapshotConnection::reusable() const {
  return !broken_ && PQstatus(handle_.get()) == CONNECTION_OK && PQtransactionStatus(handle_.get()) == PQTRANS_IDLE &&
         PQpipelineStatus(handle_.get()) == PQ_PIPELINE_OFF;
}

Result<void> SnapshotConnection::prepare_once(const SnapshotStatement& statement) {
  if (prepared_[statement.index]) return {};
  QueryResult result{PQprepare(handle_.get(), statement.name, statement.sql, statement.parameter_count,
                               statement.parameter_types)};
  if (!succeeded(result.get())) return std::unexpected(error_from_failed_result(result.get(), handle_.get()));
  prepared_[statement.index] = true;
  return {};
}

Result<QueryResult> SnapshotConnection::execute(const SnapshotStatement& statement, const char* const* values,
                                                const int* lengths) {
  for (int attempt = 0;; ++attempt) {
    std::optional<std::int64_t> timeout_milliseconds;
    if (auto deadline = DeadlineScope::current()) {
      auto now = Deadline::clock::now();
      if (*deadline <= now) return std::unexpected(Error{ErrorCode::timeout, "the deadline has passed"});
      // At least 1 ms: 0 would mean no limit to the server.
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - now).count();
      timeout_milliseconds = std::clamp<std::int64_t>(left, 1, std::numeric_limits<int>::max());
    }
    if (auto prepared = prepare_once(statement); !prepared) return std::unexpected(prepared.error());
    auto result = timeout_milliseconds ? execute_with_timeout(statement, values, lengths, *timeout_milliseconds)
                                       : execute_now(statement, values, lengths);
    if (result || attempt > 0 || result.error().sqlstate() != prepared_statement_missing ||
        result.error().code() == ErrorCode::connection_lost)
      return result;
    prepared_.fill(false);
  }
}

Result<QueryResult> SnapshotConnection::execute_now(const SnapshotStatement& statement, const char* const* values,
                                                    const int* lengths) {
  std::array<int, 5> formats{binary_format, binary_format, binary_format, binary_format, binary_format};
  QueryResult result{PQexecPrepared(handle_.get(), statement.name, statement.parameter_count, values, lengths,
                                    formats.data(), binary_format)};
  if (succeeded(result.get())) return result;
  Error error = error_from_failed_result(result.get(), handle_.get());
  if (error.code() == ErrorCode::connection_lost) broken_ = true;
  return std::unexpected(std::move(error));
}

// [set_config(statement_timeout), the statement, Sync]: one implicit
// transaction, so the setting ends with it; one round trip.
Result<QueryResult> SnapshotConnection::execute_with_timeout(const SnapshotStatement& statement,
                                                             const char* const* values, const int* lengths,
                                                             std::int64_t timeout_milliseconds) {
  if (auto prepared = prepare_once(set_statement_timeout); !prepared) return std::unexpected(prepared.error());
  PGconn* connection = handle_.get();
  std::array<int, 5> formats{binary_format, binary_format, binary_format, binary_format, binary_format};
  std::string timeout_text = std::to_string(timeout_milliseconds);
  const char* timeout_values[] = {timeout_text.c_str()};
  const int timeout_lengths[] = {static_cast<int>(timeout_text.size())};
  bool sent = PQenterPipelineMode(connection) == 1 &&
              PQsendQueryPrepared(connection, set_statement_timeout.name, 1, timeout_values, timeout_lengths,
                                  formats.data(), binary_format) == 1 &&
              PQsendQueryPrepared(connection, statement.name, statement.parameter_count, values, lengths,
                                  formats.data(), binary_format) == 1 &&
              PQpipelineSync(connection) == 1;
  if (!sent) {
    broken_ = true;
    return std::unexpected(connection_failure("could not send the statement"));
  }
  QueryResult failure;
  QueryResult rows;
  for (int reply_index = 0; reply_index < 2; ++reply_index) {
    QueryResult reply{PQgetResult(connection)};
    if (!reply) {
      broken_ = true;
      return std::unexpected(connection_failure("the server's reply ended early"));
    }
    ExecStatusType status = PQresultStatus(reply.get());
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
      if (reply_index == 1) rows = std::move(reply);
    } else if (status != PGRES_PIPELINE_ABORTED && !failure) {
      failure = std::move(reply);
    }
    // Each statement's replies end with a null result.
    if (QueryResult{PQgetResult(connection)} != nullptr) {
      broken_ = true;
      return std::unexpected(Error{ErrorCode::internal, "the server replied out of order"});
    }
  }
  QueryResult sync{PQgetResult(connection)};
  if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC || PQexitPipelineMode(connection) != 1) {
    broken_ = true;
    if (failure) return std::unexpected(error_from_failed_result(failure.get(), connection));
    return std::unexpected(connection_failure("the pipeline did not end"));
  }
  if (failure) return std::unexpected(error_from_failed_result(failure.get(), connection));
  if (!rows) return std::unexpected(Error{ErrorCode::internal, "the statement returned no rows"});
  return rows;
}

Error SnapshotConnection::connection_failure(const char* fallback) const {
  std::string message = PQerrorMessage(handle_.get());
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (message.empty()) message = fallback;
  return Error{ErrorCode::connection_lost, std::move(message)};
}

}  // namespace eventstore::detail
