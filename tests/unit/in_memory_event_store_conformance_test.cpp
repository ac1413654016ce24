// The shared conformance suite against the in-memory store, and against a
// ResilientEventStore around it (a decorator must not change what the store
// does). The same suite runs against the real server in tests/client.
#include <gtest/gtest.h>

#include <memory>

#include "event_store_conformance.hpp"
#include "eventstore/resilience/resilient_event_store.hpp"
#include "eventstore/testing/in_memory_event_store.hpp"

namespace eventstore::conformance {
namespace {

// Owns the in-memory store it decorates (a base, so that it is built first).
struct OwnedMemory {
  testing::InMemoryEventStore memory;
};

class ResilientInMemoryStore final : private OwnedMemory, public ResilientEventStore {
 public:
  ResilientInMemoryStore() : ResilientEventStore(memory, ResiliencePolicy::standard()) {}
};

INSTANTIATE_TEST_SUITE_P(InMemory, EventStoreConformance,
                         ::testing::Values(StoreUnderTest{"in_memory",
                                                          []() -> Result<std::unique_ptr<FullEventStore>> {
                                                            return std::make_unique<testing::InMemoryEventStore>();
                                                          }},
                                           StoreUnderTest{"resilient_in_memory",
                                                          []() -> Result<std::unique_ptr<FullEventStore>> {
                                                            return std::make_unique<ResilientInMemoryStore>();
                                                          }}),
                         store_name);

}  // namespace
}  // namespace eventstore::conformance
