#include "server_database.hpp"

#include <cstdlib>

#include "../sql_session.hpp"

namespace eventstore::conformance {

Result<std::unique_ptr<Client>> fresh_server_store(const std::string& database_name) {
  const char* base_dsn = std::getenv("EVENTSTORE_BASE_DSN");
  if (base_dsn == nullptr || *base_dsn == '\0')
    return std::unexpected(
        Error{ErrorCode::invalid_argument,
              "EVENTSTORE_BASE_DSN is not set: these tests need a PostgreSQL 15 server with "
              "pg_eventstore. Run `tests/harness/cluster.sh start` and `source build/cluster.env`."});
  testing_support::SqlSession admin{std::string{base_dsn} + " dbname=postgres"};
  if (!admin.execute("DROP DATABASE IF EXISTS " + database_name + " WITH (FORCE)") ||
      !admin.execute("CREATE DATABASE " + database_name))
    return std::unexpected(Error{ErrorCode::connection_lost, admin.last_error()});
  std::string dsn = std::string{base_dsn} + " dbname=" + database_name;
  testing_support::SqlSession store{dsn};
  if (!store.execute("CREATE EXTENSION pg_eventstore"))
    return std::unexpected(Error{ErrorCode::store_not_usable, store.last_error()});
  auto client = Client::connect(dsn);
  if (!client) return std::unexpected(std::move(client.error()));
  return std::make_unique<Client>(std::move(*client));
}

}  // namespace eventstore::conformance
