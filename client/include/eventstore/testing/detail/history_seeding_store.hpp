// Plumbing of given/when/then (given_when_then.hpp): the events a scenario
// wrote, and the store that seeds a scenario's history. Not part of the API.
#pragma once

#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "eventstore/store/event_data.hpp"
#include "eventstore/store/forwarding_event_store.hpp"
#include "eventstore/store/recorded_event.hpp"
#include "eventstore/testing/in_memory_event_store.hpp"

namespace eventstore::testing {

namespace detail {

// An event as the registry writes it, for comparisons and messages.
struct WrittenEvent {
  std::string type;
  nlohmann::json data;

  [[nodiscard]] std::string describe() const { return type + " " + data.dump(); }
};

[[nodiscard]] std::string describe_events(const std::vector<WrittenEvent>& events);
[[nodiscard]] std::vector<WrittenEvent> written_events(std::span<const RecordedEvent> events);

// Constructed before the ForwardingEventStore that wraps it.
struct OwnedInMemoryStore {
  InMemoryEventStore store_;
};

// The in-memory store, which appends the scenario's history to the first
// stream of the aggregate's category that the command reads or writes.
class HistorySeedingStore final : private OwnedInMemoryStore, public ForwardingEventStore {
 public:
  HistorySeedingStore(std::string category, std::vector<EventData> history);

  // Every event after the history, in log order.
  [[nodiscard]] std::vector<RecordedEvent> new_events() const;

 protected:
  // Seeds the history before the first call about a stream of the category.
  [[nodiscard]] Result<void> around(const ForwardedCall& call, const ForwardedAttempt& attempt) override;

 private:
  [[nodiscard]] Result<void> seed(const StreamName& stream);

  std::string category_;
  std::vector<EventData> history_;
  bool seeded_ = false;
};

}  // namespace detail

}  // namespace eventstore::testing
