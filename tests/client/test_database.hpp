// The databases the client tests use, made fresh once per test process:
// `eventstore_client_test` with the extension installed, and
// `eventstore_client_test_bare` without it.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "eventstore/eventstore.hpp"
#include "printers.hpp"

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

}  // namespace eventstore::testing_support
