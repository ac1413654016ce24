// Owning handles for libpq objects: a connection closes and a result is
// freed however the scope is left. libpq's types are only named here:
// holding one needs no libpq declarations.
#pragma once

#include <memory>

struct pg_conn;    // libpq's PGconn
struct pg_result;  // libpq's PGresult

namespace eventstore::detail::pq {

struct ConnectionCloser {
  void operator()(pg_conn* connection) const noexcept;
};

struct ResultClearer {
  void operator()(pg_result* result) const noexcept;
};

using ConnectionHandle = std::unique_ptr<pg_conn, ConnectionCloser>;
using QueryResult = std::unique_ptr<pg_result, ResultClearer>;

}  // namespace eventstore::detail::pq
