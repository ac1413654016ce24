#include "sql_session.hpp"

#include <gtest/gtest.h>

namespace eventstore::testing_support {
namespace {

struct ResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using QueryResult = std::unique_ptr<PGresult, ResultClearer>;

}  // namespace

SqlSession::SqlSession(const std::string& dsn) : dsn_(dsn) {}

PGconn* SqlSession::connection() {
  if (!connection_) {
    connection_.reset(PQconnectdb(dsn_.c_str()));
    if (PQstatus(connection_.get()) != CONNECTION_OK) last_error_ = PQerrorMessage(connection());
  }
  return connection_.get();
}

bool SqlSession::connected() { return PQstatus(connection()) == CONNECTION_OK; }

bool SqlSession::execute(const std::string& sql) {
  QueryResult result{PQexec(connection(), sql.c_str())};
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return true;
  last_error_ = sql + ": " + PQerrorMessage(connection());
  return false;
}

std::optional<std::string> SqlSession::query_value(const std::string& sql) {
  QueryResult result{PQexec(connection(), sql.c_str())};
  if (!result || PQresultStatus(result.get()) != PGRES_TUPLES_OK || PQntuples(result.get()) < 1) {
    last_error_ = sql + ": " + PQerrorMessage(connection());
    return std::nullopt;
  }
  return std::string{PQgetvalue(result.get(), 0, 0)};
}

long long SqlSession::count(const std::string& table) {
  auto value = query_value("SELECT count(*) FROM " + table);
  if (!value) {
    ADD_FAILURE() << "cannot count " << table << ": " << last_error_;
    return -1;
  }
  return std::stoll(*value);
}

}  // namespace eventstore::testing_support
