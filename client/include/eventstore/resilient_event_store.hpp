// An EventStore that sends every call of another EventStore through a
// ResiliencePolicy (retry, circuit breaker, bulkhead), so that repositories,
// command handlers and projections get resilience without knowing of it:
//
//   auto client = eventstore::Client::connect(dsn);
//   eventstore::ResilientEventStore store{*client, eventstore::ResiliencePolicy::standard()};
//   auto appended = store.append(order, eventstore::ExpectedVersion::exactly(version), events);
//
// Appends are retried safely: a repeated append with the same event ids
// returns the original result and writes nothing. The lazy stream() range
// reads its pages through the policy as well. The wrapped store must outlive
// this one; whether calls may come from several threads at once is the
// wrapped store's business.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/event_store.hpp"
#include "eventstore/resilience_policy.hpp"

namespace eventstore {

class ResilientEventStore final : public EventStore {
 public:
  ResilientEventStore(EventStore& store, ResiliencePolicy policy);

  using EventStore::append;
  [[nodiscard]] Result<AppendResult> append(const StreamName& stream, ExpectedVersion expected,
                                            std::span<const EventData> events) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_stream(const StreamName& stream,
                                                               const ReadStreamOptions& options = {}) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_all(std::optional<LogPosition> after, std::int32_t max_count,
                                                            const std::vector<std::string>& event_types = {}) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_category(
      std::string_view category, std::optional<LogPosition> after, std::int32_t max_count,
      const std::vector<std::string>& event_types = {}) override;
  [[nodiscard]] Result<StreamVersion> stream_version(const StreamName& stream) override;

  [[nodiscard]] const ResiliencePolicy& policy() const noexcept { return policy_; }

 private:
  EventStore* store_;
  ResiliencePolicy policy_;
};

}  // namespace eventstore
