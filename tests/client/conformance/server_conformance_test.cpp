// The shared conformance suite against the real server, through
// eventstore::Client, with a fresh database for every test. The same suite
// runs against the in-memory store in tests/unit.
#include <gtest/gtest.h>

#include "event_store_conformance.hpp"
#include "server_database.hpp"

namespace eventstore::conformance {
namespace {

INSTANTIATE_TEST_SUITE_P(Server, EventStoreConformance,
                         ::testing::Values(StoreUnderTest{"server",
                                                          []() -> Result<std::unique_ptr<FullEventStore>> {
                                                            auto client =
                                                                fresh_server_store("eventstore_conformance_test");
                                                            if (!client) return std::unexpected(client.error());
                                                            return std::unique_ptr<FullEventStore>{std::move(*client)};
                                                          }}),
                         store_name);

}  // namespace
}  // namespace eventstore::conformance
