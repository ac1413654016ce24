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

std::vector<RecordedEvent> HistorySeedingStore::new_events() const {
  auto all = store_.recorded_events();
  std::size_t history = seeded_ ? history_.size() : 0;
  return {all.begin() + static_cast<std::ptrdiff_t>(std::min(history, all.size())), all.end()};
}

}  // namespace eventstore::testing::detail
