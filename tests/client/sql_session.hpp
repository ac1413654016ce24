// A plain libpq session for what the tests check behind the client's back:
// row counts, open transactions, terminating backends. It connects on first
// use, so a fixture can hold one before the test databases are made.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>

namespace eventstore::testing_support {

class SqlSession {
 public:
  explicit SqlSession(const std::string& dsn);

  [[nodiscard]] bool connected();
  // Runs a statement; false (and last_error()) when it fails.
  [[nodiscard]] bool execute(const std::string& sql);
  // The first column of the first row as text; nullopt when it fails or has no row.
  [[nodiscard]] std::optional<std::string> query_value(const std::string& sql);
  [[nodiscard]] const std::string& last_error() const { return last_error_; }

  // Events and streams stored in the test database.
  [[nodiscard]] long long count(const std::string& table);

 private:
  struct Closer {
    void operator()(PGconn* connection) const { PQfinish(connection); }
  };
  PGconn* connection();

  std::string dsn_;
  std::unique_ptr<PGconn, Closer> connection_;
  std::string last_error_;
};

}  // namespace eventstore::testing_support
