#include "bench_session.hpp"

#include <errno.h>  // program_invocation_short_name (GNU)

#include <cstdio>
#include <cstdlib>

namespace eventstore::bench {
namespace {

using PgResult = std::unique_ptr<PGresult, decltype(&PQclear)>;

// Long generated statements are cut in messages.
std::string shortened(const std::string& sql) { return sql.size() <= 200 ? sql : sql.substr(0, 200) + "..."; }

}  // namespace

void fail(const std::string& what) {
  std::fprintf(stderr, "%s: %s\n", program_invocation_short_name, what.c_str());
  std::exit(1);
}

std::string base_dsn() {
  const char* base = std::getenv("EVENTSTORE_BASE_DSN");
  if (base == nullptr) fail("EVENTSTORE_BASE_DSN is not set (make bench sets it)");
  return base;
}

PgConnection connect(const std::string& dsn) {
  PgConnection connection(PQconnectdb(dsn.c_str()), &PQfinish);
  if (PQstatus(connection.get()) != CONNECTION_OK) fail(PQerrorMessage(connection.get()));
  return connection;
}

void execute(PGconn* connection, const std::string& sql) {
  PgResult result(PQexec(connection, sql.c_str()), &PQclear);
  auto status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(shortened(sql) + ": " + PQerrorMessage(connection));
}

std::string query_value(PGconn* connection, const std::string& sql) {
  PgResult result(PQexec(connection, sql.c_str()), &PQclear);
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK || PQntuples(result.get()) < 1)
    fail(shortened(sql) + ": " + PQerrorMessage(connection));
  return PQgetvalue(result.get(), 0, 0);
}

void recreate_database(const std::string& database) {
  auto admin = connect(base_dsn() + " dbname=postgres");
  execute(admin.get(), "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  execute(admin.get(), "CREATE DATABASE " + database);
}

}  // namespace eventstore::bench
