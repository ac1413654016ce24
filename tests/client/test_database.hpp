// The databases the client tests use, made fresh once per test process:
// `eventstore_client_test` with the extension installed, and
// `eventstore_client_test_bare` without it.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "eventstore/eventstore.hpp"
#include "printers.hpp"
#include "sql_session.hpp"

namespace eventstore::testing_support {

// The base of every client test: fails the test (never skips it) when the
// databases cannot be made, e.g. without EVENTSTORE_BASE_DSN.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override;
};

// The DSN of the test database (EVENTSTORE_BASE_DSN plus its dbname).
[[nodiscard]] std::string test_dsn();
// The DSN of the database without the extension.
[[nodiscard]] std::string bare_dsn();

// A short random token for names that no other test uses: [0-9a-f]{12}.
[[nodiscard]] std::string unique_token();

// A stream name built from parts known to be valid; fails the test otherwise.
[[nodiscard]] StreamName stream_name(const std::string& name);

// A connected client; fails the test (and returns an error) when it cannot connect.
[[nodiscard]] Result<Client> connect_client(const std::string& extra_settings = {});

// The base of the tests that work through one connected client: SetUp
// connects it (failing the test when it cannot) and draws the test's token.
// A fixture that derives calls ClientTest::SetUp() first and returns on
// HasFatalFailure() before its own setup.
class ClientTest : public StoreTest {
 protected:
  void SetUp() override;

  // Extra libpq settings for the client, e.g. an application_name; none by default.
  [[nodiscard]] virtual std::string client_settings() const { return {}; }

  [[nodiscard]] Client& client() { return *client_; }
  // A plain session on the test database, for what is checked behind the client's back.
  [[nodiscard]] SqlSession& sql() { return sql_; }
  // A short random token drawn for each test, for names that no other test uses.
  [[nodiscard]] const std::string& token() const { return token_; }
  // `<prefix><token>-<id>`: a stream of this test alone, in category `<prefix><token>`.
  [[nodiscard]] StreamName stream(const std::string& prefix, const std::string& id = "1") const;

 private:
  std::optional<Client> client_;
  SqlSession sql_{test_dsn()};
  std::string token_;
};

}  // namespace eventstore::testing_support
