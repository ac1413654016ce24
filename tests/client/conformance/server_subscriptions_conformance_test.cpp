// The subscriptions' conformance suite against the real server: the Client
// is both the event store and the subscription store, on a fresh database
// for every test.
#include <gtest/gtest.h>

#include "server_database.hpp"
#include "subscription_conformance.hpp"

namespace eventstore::conformance {
namespace {

INSTANTIATE_TEST_SUITE_P(Server, SubscriptionConformance,
                         ::testing::Values(SubscriptionsUnderTest{
                             "server",
                             []() -> Result<SubscriptionBackend> {
                               auto client = fresh_server_store("eventstore_conformance_test");
                               if (!client) return std::unexpected(client.error());
                               std::shared_ptr<Client> owner{std::move(*client)};
                               return SubscriptionBackend{owner, owner.get(), owner.get()};
                             }}),
                         subscriptions_name);

}  // namespace
}  // namespace eventstore::conformance
