// The base of decorators: a FullEventStore that forwards every call to
// another one. A decorator overrides only what it changes:
//
// - one call (a test double dropping events): override its do_* and call
//   ForwardingEventStore::do_* for the rest of the work;
// - every call alike (retry, circuit breaker, tracing, seeding history):
//   override around(), which each call passes on its way to the wrapped store.
//
//   class CountingStore final : public eventstore::ForwardingEventStore {
//    public:
//     using ForwardingEventStore::ForwardingEventStore;
//     int calls = 0;
//    protected:
//     eventstore::Result<void> around(const eventstore::ForwardedCall& call,
//                                     const eventstore::ForwardedAttempt& attempt) override {
//       ++calls;
//       return attempt();
//     }
//   };
//
// The wrapped store must outlive the decorator.
#pragma once

#include <functional>
#include <optional>
#include <string_view>
#include <utility>

#include "eventstore/store/full_event_store.hpp"

namespace eventstore {

// A call on its way to the wrapped store, as around() sees it.
struct ForwardedCall {
  // The public function's name: "append", "read_stream", "load", "reclaim", ...
  std::string_view operation;
  // The stream the call is about, when it is about one.
  const StreamName* stream = nullptr;
};

// Makes the call on the wrapped store (again, each time it is called) and
// says whether it failed; the value itself goes to the caller.
using ForwardedAttempt = std::function<Result<void>()>;

class ForwardingEventStore : public FullEventStore {
 public:
  explicit ForwardingEventStore(FullEventStore& inner) noexcept : inner_(&inner) {}

 protected:
  // Runs `attempt` once. An override may run it several times (the caller
  // gets the last attempt's value) or not at all: the error it returns then
  // is what the caller gets.
  [[nodiscard]] virtual Result<void> around(const ForwardedCall& call, const ForwardedAttempt& attempt);

  [[nodiscard]] FullEventStore& inner() const noexcept { return *inner_; }

  [[nodiscard]] Result<AppendResult> do_append(const StreamName& stream, ExpectedVersion expected,
                                               std::span<const EventData> events) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> do_read_stream(const StreamName& stream,
                                                                  const ReadStreamOptions& options) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> do_read_all(std::optional<LogPosition> after, std::int32_t max_count,
                                                               const std::vector<std::string>& event_types) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> do_read_category(
      std::string_view category, std::optional<ConsumerGroup> group, std::optional<LogPosition> after,
      std::int32_t max_count, const std::vector<std::string>& event_types) override;
  [[nodiscard]] Result<StreamVersion> do_stream_version(const StreamName& stream) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> do_read_event_type(std::string_view event_type,
                                                                      std::optional<LogPosition> after,
                                                                      std::int32_t max_count) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> do_read_time_range(TimeRange range,
                                                                      std::optional<TimeRangePosition> after,
                                                                      std::int32_t max_count) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> do_read_correlated(std::string_view correlation_id,
                                                                      std::optional<LogPosition> after,
                                                                      std::int32_t max_count) override;
  [[nodiscard]] Result<void> do_save_snapshot(const StreamName& stream, StreamVersion version,
                                              std::string_view state_json, const SaveSnapshotOptions& options) override;
  [[nodiscard]] Result<LoadedStream> do_load(const StreamName& stream, const LoadOptions& options) override;
  [[nodiscard]] Result<StreamVersion> do_delete_stream(const StreamName& stream, ExpectedVersion expected) override;
  [[nodiscard]] Result<StreamVersion> do_tombstone_stream(const StreamName& stream, ExpectedVersion expected) override;
  [[nodiscard]] Result<void> do_truncate_stream(const StreamName& stream, StreamVersion before) override;
  [[nodiscard]] Result<void> do_set_stream_limits(const StreamName& stream, const StreamLimits& limits) override;
  [[nodiscard]] Result<std::optional<StreamState>> do_stream_state(const StreamName& stream) override;
  [[nodiscard]] Result<std::int64_t> do_reclaim(std::int32_t max_events) override;

 private:
  // One call through around(): `call` returns the wrapped store's Result<Value>.
  template <class Value, class Call>
  [[nodiscard]] Result<Value> forward(const ForwardedCall& description, Call&& call) {
    std::optional<Result<Value>> outcome;
    Result<void> status = around(description, [&]() -> Result<void> {
      outcome.emplace(call());
      if (outcome->has_value()) return {};
      return std::unexpected(outcome->error());
    });
    if (!status) return std::unexpected(std::move(status).error());
    return std::move(*outcome);
  }

  FullEventStore* inner_;
};

}  // namespace eventstore
