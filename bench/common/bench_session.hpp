// What every benchmark program needs of libpq besides the client library:
// its base DSN, plain connections and statements for setting up its store,
// and failing loudly (a benchmark that cannot set up must not report).
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>

namespace eventstore::bench {

using PgConnection = std::unique_ptr<PGconn, decltype(&PQfinish)>;

// Prints "<program>: <what>" to stderr and exits with 1.
[[noreturn]] void fail(const std::string& what);

// EVENTSTORE_BASE_DSN (make bench sets it); fails without it.
[[nodiscard]] std::string base_dsn();

[[nodiscard]] PgConnection connect(const std::string& dsn);

// Runs `sql`; fails unless it succeeds.
void execute(PGconn* connection, const std::string& sql);

// The first column of the first row of `sql`; fails without one.
[[nodiscard]] std::string query_value(PGconn* connection, const std::string& sql);

// Drops `database` (ending its sessions) and creates it anew, empty.
void recreate_database(const std::string& database);

}  // namespace eventstore::bench
