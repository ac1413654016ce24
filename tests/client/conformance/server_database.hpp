// Databases of their own for the conformance and model tests against the real
// server, made fresh on request, so that the global log holds only what a
// test wrote. Without EVENTSTORE_BASE_DSN every request fails (and with it
// the test): these tests never skip.
#pragma once

#include <memory>
#include <string>

#include "eventstore/eventstore.hpp"

namespace eventstore::conformance {

// Drops and creates the database `name` with pg_eventstore installed, and
// connects a Client to it.
[[nodiscard]] Result<std::unique_ptr<Client>> fresh_server_store(const std::string& database_name);

}  // namespace eventstore::conformance
