#include "test_database.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <utility>

#include "sql_session.hpp"

namespace eventstore::testing_support {
namespace {

constexpr const char* test_database = "eventstore_client_test";
constexpr const char* bare_database = "eventstore_client_test_bare";

std::string base_dsn() {
  const char* base = std::getenv("EVENTSTORE_BASE_DSN");
  return base != nullptr ? base : "";
}

// Why the databases could not be made; nullopt when they are ready.
std::optional<std::string> make_databases() {
  if (base_dsn().empty())
    return "EVENTSTORE_BASE_DSN is not set: the client tests need a PostgreSQL 15 server with pg_eventstore "
           "installed. Run `tests/harness/cluster.sh start` and `source build/cluster.env` first.";
  SqlSession admin{base_dsn() + " dbname=postgres"};
  if (!admin.connected()) return "cannot connect with EVENTSTORE_BASE_DSN: " + admin.last_error();
  for (const char* database : {test_database, bare_database}) {
    if (!admin.execute(std::string{"DROP DATABASE IF EXISTS "} + database + " WITH (FORCE)") ||
        !admin.execute(std::string{"CREATE DATABASE "} + database))
      return admin.last_error();
  }
  SqlSession store{test_dsn()};
  if (!store.execute("CREATE EXTENSION pg_eventstore")) return store.last_error();
  return std::nullopt;
}

}  // namespace

void StoreTest::SetUp() {
  static const std::optional<std::string> problem = make_databases();
  if (problem) FAIL() << *problem;
}

void ClientTest::SetUp() {
  StoreTest::SetUp();
  if (HasFatalFailure()) return;
  token_ = unique_token();
  auto connected = connect_client(client_settings());
  ASSERT_TRUE(connected);
  client_.emplace(std::move(*connected));
}

StreamName ClientTest::stream(const std::string& prefix, const std::string& id) const {
  return stream_name(prefix + token_ + "-" + id);
}

std::string test_dsn() { return base_dsn() + " dbname=" + test_database; }

std::string bare_dsn() { return base_dsn() + " dbname=" + bare_database; }

std::string unique_token() { return EventId::generate().to_string().substr(24); }

StreamName stream_name(const std::string& name) {
  auto stream = StreamName::from(name);
  if (!stream) {
    ADD_FAILURE() << "invalid stream name in a test: " << stream.error().describe();
    return *StreamName::from("invalid-test-name");
  }
  return *stream;
}

Result<Client> connect_client(const std::string& extra_settings) {
  auto client = Client::connect(test_dsn() + " " + extra_settings);
  if (!client) ADD_FAILURE() << "cannot connect: " << client.error().describe();
  return client;
}

}  // namespace eventstore::testing_support
