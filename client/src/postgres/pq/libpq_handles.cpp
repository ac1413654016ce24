#include "libpq_handles.hpp"

#include <libpq-fe.h>

namespace eventstore::detail::pq {

void ConnectionCloser::operator()(pg_conn* connection) const noexcept { PQfinish(connection); }

void ResultClearer::operator()(pg_result* result) const noexcept { PQclear(result); }

}  // namespace eventstore::detail::pq
