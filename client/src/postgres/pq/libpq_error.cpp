#include "libpq_error.hpp"

#include <string>
#include <string_view>

namespace eventstore::detail::pq {
namespace {

std::string field(const PGresult* result, int code) {
  const char* value = result != nullptr ? PQresultErrorField(result, code) : nullptr;
  return value != nullptr ? std::string{value} : std::string{};
}

// libpq's own messages end with a newline and may span lines; keep them whole but trimmed.
std::string trimmed(const char* text) {
  std::string_view view = text != nullptr ? text : "";
  while (!view.empty() && (view.back() == '\n' || view.back() == ' ')) view.remove_suffix(1);
  return std::string{view};
}

}  // namespace

Error error_from_failed_result(const PGresult* result, const PGconn* connection) {
  std::string sqlstate = field(result, PG_DIAG_SQLSTATE);
  std::string message = field(result, PG_DIAG_MESSAGE_PRIMARY);
  std::string detail = field(result, PG_DIAG_MESSAGE_DETAIL);
  std::string hint = field(result, PG_DIAG_MESSAGE_HINT);
  bool connection_gone = connection == nullptr || PQstatus(connection) == CONNECTION_BAD;
  if (message.empty()) message = trimmed(connection != nullptr ? PQerrorMessage(connection) : nullptr);
  if (message.empty() && result != nullptr) message = trimmed(PQresultErrorMessage(result));
  if (message.empty()) message = "the query failed without a message";

  ErrorCode code;
  if (connection_gone)
    code = ErrorCode::connection_lost;
  else if (!sqlstate.empty())
    code = error_code_for_sqlstate(sqlstate);
  else if (result == nullptr)
    code = ErrorCode::out_of_memory;  // libpq returns no result only when it cannot allocate one
  else
    code = ErrorCode::internal;  // libpq found a problem of its own (e.g. a protocol error)
  return Error{code, std::move(sqlstate), std::move(message), std::move(detail), std::move(hint)};
}

Error error_from_failed_connection(const PGconn* connection) {
  std::string message = trimmed(connection != nullptr ? PQerrorMessage(connection) : nullptr);
  if (connection == nullptr) return Error{ErrorCode::out_of_memory, "could not allocate a connection"};
  if (message.empty()) message = "could not connect to the server";
  return Error{ErrorCode::connection_lost, std::move(message)};
}

}  // namespace eventstore::detail::pq
