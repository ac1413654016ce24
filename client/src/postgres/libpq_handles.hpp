// Owning handles for libpq objects: a connection closes and a result is
// freed however the scope is left.
#pragma once

#include <libpq-fe.h>

#include <memory>

namespace eventstore::detail {

struct ConnectionCloser {
  void operator()(PGconn* connection) const noexcept { PQfinish(connection); }
};

struct ResultClearer {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};

using ConnectionHandle = std::unique_ptr<PGconn, ConnectionCloser>;
using QueryResult = std::unique_ptr<PGresult, ResultClearer>;

}  // namespace eventstore::detail
