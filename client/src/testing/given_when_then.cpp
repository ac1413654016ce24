#include "eventstore/testing/given_when_then.hpp"

namespace eventstore::testing::detail {

std::string describe_events(const std::vector<WrittenEvent>& events) {
  if (events.empty()) return "no events";
  std::string text = events.size() == 1 ? "1 event:" : std::to_string(events.size()) + " events:";
  for (const auto& event : events) text += "\n  " + event.describe();
  return text;
}

std::vector<WrittenEvent> written_events(std::span<const RecordedEvent> events) {
  std::vector<WrittenEvent> written;
  written.reserve(events.size());
  for (const auto& event : events) {
    auto data = nlohmann::json::parse(event.data, nullptr, /*allow_exceptions=*/false);
    written.push_back(WrittenEvent{event.type, data.is_discarded() ? nlohmann::json(event.data) : std::move(data)});
  }
  return written;
}

HistorySeedingStore::HistorySeedingStore(std::string category, std::vector<EventData> history)
    : category_(std::move(category)), history_(std::move(history)) {}

Result<void> HistorySeedingStore::seed(const StreamName& stream) {
  if (seeded_ || stream.category() != category_) return {};
  seeded_ = true;
  if (history_.empty()) return {};
  auto appended = store_.append(stream, ExpectedVersion::no_stream(), history_);
  if (!appended) return std::unexpected(std::move(appended.error()));
  return {};
}

Result<AppendResult> HistorySeedingStore::append(const StreamName& stream, ExpectedVersion expected,
                                                 std::span<const EventData> events) {
  if (auto seeded = seed(stream); !seeded) return std::unexpected(std::move(seeded.error()));
  return store_.append(stream, expected, events);
}

Result<std::vector<RecordedEvent>> HistorySeedingStore::read_stream(const StreamName& stream,
                                                                    const ReadStreamOptions& options) {
  if (auto seeded = seed(stream); !seeded) return std::unexpected(std::move(seeded.error()));
  return store_.read_stream(stream, options);
}

Result<std::vector<RecordedEvent>> HistorySeedingStore::read_all(std::optional<LogPosition> after,
                                                                 std::int32_t max_count,
                                                                 const std::vector<std::string>& event_types) {
  return store_.read_all(after, max_count, event_types);
}

Result<std::vector<RecordedEvent>> HistorySeedingStore::read_category(std::string_view category,
                                                                      std::optional<LogPosition> after,
                                                                      std::int32_t max_count,
                                                                      const std::vector<std::string>& event_types) {
  return store_.read_category(category, after, max_count, event_types);
}

Result<StreamVersion> HistorySeedingStore::stream_version(const StreamName& stream) {
  if (auto seeded = seed(stream); !seeded) return std::unexpected(std::move(seeded.error()));
  return store_.stream_version(stream);
}

Result<std::vector<RecordedEvent>> HistorySeedingStore::read_category(std::string_view category, ConsumerGroup group,
                                                                      std::optional<LogPosition> after,
                                                                      std::int32_t max_count,
                                                                      const std::vector<std::string>& event_types) {
  return store_.read_category(category, group, after, max_count, event_types);
}

Result<std::vector<RecordedEvent>> HistorySeedingStore::read_event_type(std::string_view event_type,
                                                                        std::optional<LogPosition> after,
                                                                        std::int32_t max_count) {
  return store_.read_event_type(event_type, after, max_count);
}

Result<std::vector<RecordedEvent>> HistorySeedingStore::read_time_range(TimeRange range,
                                                                        std::optional<TimeRangePosition> after,
                                                                        std::int32_t max_count) {
  return store_.read_time_range(range, after, max_count);
}

Result<std::vector<RecordedEvent>> HistorySeedingStore::read_correlated(std::string_view correlation_id,
                                                                        std::optional<LogPosition> after,
                                                                        std::int32_t max_count) {
  return store_.read_correlated(correlation_id, after, max_count);
}

Result<void> HistorySeedingStore::save_snapshot(const StreamName& stream, StreamVersion version,
                                                std::string_view state_json, const SaveSnapshotOptions& options) {
  if (auto seeded = seed(stream); !seeded) return std::unexpected(std::move(seeded.error()));
  return store_.save_snapshot(stream, version, state_json, options);
}

Result<LoadedStream> HistorySeedingStore::load(const StreamName& stream, const LoadOptions& options) {
  if (auto seeded = seed(stream); !seeded) return std::unexpected(std::move(seeded.error()));
  return store_.load(stream, options);
}

Result<StreamVersion> HistorySeedingStore::delete_stream(const StreamName& stream, ExpectedVersion expected) {
  if (auto seeded = seed(stream); !seeded) return std::unexpected(std::move(seeded.error()));
  return store_.delete_stream(stream, expected);
}

Result<StreamVersion> HistorySeedingStore::tombstone_stream(const StreamName& stream, ExpectedVersion expected) {
  if (auto seeded = seed(stream); !seeded) return std::unexpected(std::move(seeded.error()));
  return store_.tombstone_stream(stream, expected);
}

Result<void> HistorySeedingStore::truncate_stream(const StreamName& stream, StreamVersion before) {
  if (auto seeded = seed(stream); !seeded) return std::unexpected(std::move(seeded.error()));
  return store_.truncate_stream(stream, before);
}

Result<void> HistorySeedingStore::set_stream_limits(const StreamName& stream, const StreamLimits& limits) {
  if (auto seeded = seed(stream); !seeded) return std::unexpected(std::move(seeded.error()));
  return store_.set_stream_limits(stream, limits);
}

Result<std::optional<StreamState>> HistorySeedingStore::stream_state(const StreamName& stream) {
  if (auto seeded = seed(stream); !seeded) return std::unexpected(std::move(seeded.error()));
  return store_.stream_state(stream);
}

Result<std::int64_t> HistorySeedingStore::reclaim(std::int32_t max_events) { return store_.reclaim(max_events); }

std::vector<RecordedEvent> HistorySeedingStore::new_events() const {
  auto all = store_.recorded_events();
  std::size_t history = seeded_ ? history_.size() : 0;
  return {all.begin() + static_cast<std::ptrdiff_t>(std::min(history, all.size())), all.end()};
}

}  // namespace eventstore::testing::detail
