// What the connection's statement paths agree on about replies.
#pragma once

#include <libpq-fe.h>

#include <string_view>

namespace eventstore::detail::pq {

inline constexpr int binary_results = 1;

// invalid_sql_statement_name: the session lost its prepared statements (DISCARD ALL, a pooler).
inline constexpr std::string_view prepared_statement_missing = "26000";

[[nodiscard]] inline bool succeeded(const PGresult* result) {
  if (result == nullptr) return false;
  ExecStatusType status = PQresultStatus(result);
  return status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
}

}  // namespace eventstore::detail::pq
