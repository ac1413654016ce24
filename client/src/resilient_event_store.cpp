#include "eventstore/resilient_event_store.hpp"

#include <utility>

namespace eventstore {

ResilientEventStore::ResilientEventStore(EventStore& store, ResiliencePolicy policy)
    : store_(&store), policy_(std::move(policy)) {}

Result<AppendResult> ResilientEventStore::append(const StreamName& stream, ExpectedVersion expected,
                                                 std::span<const EventData> events) {
  return policy_.call([&] { return store_->append(stream, expected, events); });
}

Result<std::vector<RecordedEvent>> ResilientEventStore::read_stream(const StreamName& stream,
                                                                    const ReadStreamOptions& options) {
  return policy_.call([&] { return store_->read_stream(stream, options); });
}

Result<std::vector<RecordedEvent>> ResilientEventStore::read_all(std::optional<LogPosition> after,
                                                                 std::int32_t max_count,
                                                                 const std::vector<std::string>& event_types) {
  return policy_.call([&] { return store_->read_all(after, max_count, event_types); });
}

Result<std::vector<RecordedEvent>> ResilientEventStore::read_category(std::string_view category,
                                                                      std::optional<LogPosition> after,
                                                                      std::int32_t max_count,
                                                                      const std::vector<std::string>& event_types) {
  return policy_.call([&] { return store_->read_category(category, after, max_count, event_types); });
}

Result<StreamVersion> ResilientEventStore::stream_version(const StreamName& stream) {
  return policy_.call([&] { return store_->stream_version(stream); });
}

}  // namespace eventstore
