// A minimal libpq session for the end-to-end checkers. They talk to the
// server directly, not through the client library, so that they judge the
// extension with code that does not share its assumptions.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eventstore::e2e {

struct QueryResult {
  bool ok = false;
  std::string sqlstate;  // empty when ok; "08006" when the connection broke
  std::string message;
  std::string detail;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

class PqSession {
 public:
  explicit PqSession(const std::string& dsn);
  [[nodiscard]] bool connected() const;
  [[nodiscard]] std::string error() const;

  // Runs one statement with text parameters (std::nullopt = SQL NULL).
  QueryResult query(const std::string& sql, const std::vector<std::optional<std::string>>& parameters = {});
  // Runs a statement that must succeed, or ends the program with its error.
  QueryResult must(const std::string& sql, const std::vector<std::optional<std::string>>& parameters = {});

 private:
  std::unique_ptr<PGconn, decltype(&PQfinish)> connection_;
};

// EVENTSTORE_BASE_DSN plus dbname; ends the program when the variable is missing.
std::string test_dsn(std::string_view database);

// Drops and creates `database` with the extension installed in it.
void create_test_database(std::string_view database);

// A random version 4 UUID in text form.
std::string random_uuid();

// A PostgreSQL text array literal of the given strings.
std::string text_array(const std::vector<std::string>& values);

}  // namespace eventstore::e2e
