#include "pq_session.hpp"

#include <cstdio>
#include <cstdlib>
#include <random>

namespace eventstore::e2e {

PqSession::PqSession(const std::string& dsn) : connection_(PQconnectdb(dsn.c_str()), &PQfinish) {}

bool PqSession::connected() const { return PQstatus(connection_.get()) == CONNECTION_OK; }

std::string PqSession::error() const { return PQerrorMessage(connection_.get()); }

QueryResult PqSession::query(const std::string& sql, const std::vector<std::optional<std::string>>& parameters) {
  std::vector<const char*> values;
  values.reserve(parameters.size());
  for (const auto& parameter : parameters) values.push_back(parameter ? parameter->c_str() : nullptr);
  std::unique_ptr<PGresult, decltype(&PQclear)> result(
      PQexecParams(connection_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                   nullptr, 0),
      &PQclear);
  QueryResult outcome;
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
    outcome.ok = true;
    int row_count = PQntuples(result.get());
    int column_count = PQnfields(result.get());
    outcome.rows.reserve(static_cast<std::size_t>(row_count));
    for (int row = 0; row < row_count; ++row) {
      auto& values_of_row = outcome.rows.emplace_back();
      for (int column = 0; column < column_count; ++column) {
        if (PQgetisnull(result.get(), row, column))
          values_of_row.emplace_back(std::nullopt);
        else
          values_of_row.emplace_back(std::string(PQgetvalue(result.get(), row, column),
                                                 static_cast<std::size_t>(PQgetlength(result.get(), row, column))));
      }
    }
    return outcome;
  }
  const char* sqlstate = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
  const char* detail = result ? PQresultErrorField(result.get(), PG_DIAG_MESSAGE_DETAIL) : nullptr;
  outcome.sqlstate = sqlstate ? sqlstate : (connected() ? "XX000" : "08006");
  outcome.message = PQerrorMessage(connection_.get());
  outcome.detail = detail ? detail : "";
  return outcome;
}

QueryResult PqSession::must(const std::string& sql, const std::vector<std::optional<std::string>>& parameters) {
  QueryResult result = query(sql, parameters);
  if (!result.ok) {
    std::fprintf(stderr, "statement failed: %s\n  %s: %s\n", sql.c_str(), result.sqlstate.c_str(),
                 result.message.c_str());
    std::exit(2);
  }
  return result;
}

std::string test_dsn(std::string_view database) {
  const char* base = std::getenv("EVENTSTORE_BASE_DSN");
  if (base == nullptr || *base == '\0') {
    std::fprintf(stderr, "EVENTSTORE_BASE_DSN is not set: run through `make test` (tests/harness/run-tests.sh)\n");
    std::exit(2);
  }
  return std::string(base) + " dbname=" + std::string(database);
}

void create_test_database(std::string_view database) {
  PqSession admin(test_dsn("postgres"));
  if (!admin.connected()) {
    std::fprintf(stderr, "cannot connect: %s\n", admin.error().c_str());
    std::exit(2);
  }
  admin.must("DROP DATABASE IF EXISTS " + std::string(database) + " WITH (FORCE)");
  admin.must("CREATE DATABASE " + std::string(database));
  PqSession session(test_dsn(database));
  session.must("CREATE EXTENSION pg_eventstore");
}

std::string random_uuid() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::uint64_t high = generator();
  std::uint64_t low = generator();
  high = (high & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xFFFF), static_cast<unsigned>(high & 0xFFFF),
                static_cast<unsigned>(low >> 48), static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
  return text;
}

std::string text_array(const std::vector<std::string>& values) {
  std::string literal = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) literal += ',';
    literal += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  literal += '}';
  return literal;
}

}  // namespace eventstore::e2e
