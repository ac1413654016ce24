// The shared conformance suite against the in-memory store, and against a
// ResilientEventStore around it (a decorator must not change what the store
// does). The same suite runs against the real server in tests/client.
#include <gtest/gtest.h>

#include <memory>

#include "event_store_conformance.hpp"
#include "eventstore/resilient_event_store.hpp"
#include "eventstore/testing/in_memory_event_store.hpp"

namespace eventstore::conformance {
namespace {

// Owns the in-memory store it decorates.
class ResilientInMemoryStore final : public EventStore {
 public:
  ResilientInMemoryStore() : resilient_(memory_, ResiliencePolicy::standard()) {}

  using EventStore::append;
  Result<AppendResult> append(const StreamName& stream, ExpectedVersion expected,
                              std::span<const EventData> events) override {
    return resilient_.append(stream, expected, events);
  }
  Result<std::vector<RecordedEvent>> read_stream(const StreamName& stream, const ReadStreamOptions& options) override {
    return resilient_.read_stream(stream, options);
  }
  Result<std::vector<RecordedEvent>> read_all(std::optional<LogPosition> after, std::int32_t max_count,
                                              const std::vector<std::string>& event_types) override {
    return resilient_.read_all(after, max_count, event_types);
  }
  Result<std::vector<RecordedEvent>> read_category(std::string_view category, std::optional<LogPosition> after,
                                                   std::int32_t max_count,
                                                   const std::vector<std::string>& event_types) override {
    return resilient_.read_category(category, after, max_count, event_types);
  }
  Result<StreamVersion> stream_version(const StreamName& stream) override { return resilient_.stream_version(stream); }

 private:
  testing::InMemoryEventStore memory_;
  ResilientEventStore resilient_;
};

INSTANTIATE_TEST_SUITE_P(InMemory, EventStoreConformance,
                         ::testing::Values(StoreUnderTest{"in_memory",
                                                          []() -> Result<std::unique_ptr<EventStore>> {
                                                            return std::make_unique<testing::InMemoryEventStore>();
                                                          }},
                                           StoreUnderTest{"resilient_in_memory",
                                                          []() -> Result<std::unique_ptr<EventStore>> {
                                                            return std::make_unique<ResilientInMemoryStore>();
                                                          }}),
                         store_name);

}  // namespace
}  // namespace eventstore::conformance
