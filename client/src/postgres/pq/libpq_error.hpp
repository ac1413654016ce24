// Turning a failed libpq call into an Error: the server's SQLSTATE decides
// the code, except that a connection that is gone is always connection_lost
// (the server may have said why first, e.g. 57P01 from pg_terminate_backend;
// that SQLSTATE is kept).
#pragma once

#include <libpq-fe.h>

#include "eventstore/store/error.hpp"

namespace eventstore::detail::pq {

// `result` may be null (libpq could not even allocate one).
[[nodiscard]] Error error_from_failed_result(const PGresult* result, const PGconn* connection);

// A connection attempt that did not reach CONNECTION_OK.
[[nodiscard]] Error error_from_failed_connection(const PGconn* connection);

}  // namespace eventstore::detail::pq
