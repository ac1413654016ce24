// The subscriptions' conformance suite against the test kit: an
// InMemoryEventStore with an InMemorySubscriptionStore beside it.
#include <gtest/gtest.h>

#include "eventstore/testing/in_memory_subscription_store.hpp"
#include "subscription_conformance.hpp"

namespace eventstore::conformance {
namespace {

struct InMemoryBackend {
  testing::InMemoryEventStore events;
  testing::InMemorySubscriptionStore subscriptions{events};
};

INSTANTIATE_TEST_SUITE_P(InMemory, SubscriptionConformance,
                         ::testing::Values(SubscriptionsUnderTest{
                             "in_memory",
                             []() -> Result<SubscriptionBackend> {
                               auto backend = std::make_shared<InMemoryBackend>();
                               return SubscriptionBackend{backend, &backend->events, &backend->subscriptions};
                             }}),
                         subscriptions_name);

}  // namespace
}  // namespace eventstore::conformance
