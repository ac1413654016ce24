// A broken EventStore for the negative control of the model test: it
// silently drops every nth event handed to append (counting across calls)
// and otherwise passes everything through. A model test that cannot catch it
// proves nothing.
#pragma once

#include <cstddef>
#include <vector>

#include "eventstore/eventstore.hpp"

namespace eventstore::conformance {

class DroppingEventStore final : public EventStore {
 public:
  DroppingEventStore(EventStore& store, std::size_t every) : store_(&store), every_(every) {}

  using EventStore::append;
  Result<AppendResult> append(const StreamName& stream, ExpectedVersion expected,
                              std::span<const EventData> events) override {
    std::vector<EventData> kept;
    for (const EventData& event : events)
      if (++handed_ % every_ != 0) kept.push_back(event);
    return store_->append(stream, expected, kept);
  }
  Result<std::vector<RecordedEvent>> read_stream(const StreamName& stream, const ReadStreamOptions& options) override {
    return store_->read_stream(stream, options);
  }
  Result<std::vector<RecordedEvent>> read_all(std::optional<LogPosition> after, std::int32_t max_count,
                                              const std::vector<std::string>& event_types) override {
    return store_->read_all(after, max_count, event_types);
  }
  Result<std::vector<RecordedEvent>> read_category(std::string_view category, std::optional<LogPosition> after,
                                                   std::int32_t max_count,
                                                   const std::vector<std::string>& event_types) override {
    return store_->read_category(category, after, max_count, event_types);
  }
  Result<StreamVersion> stream_version(const StreamName& stream) override { return store_->stream_version(stream); }

 private:
  EventStore* store_;
  std::size_t every_;
  std::size_t handed_ = 0;
};

}  // namespace eventstore::conformance
