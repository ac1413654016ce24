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
    : ForwardingEventStore(store_), category_(std::move(category)), history_(std::move(history)) {}

Result<void> HistorySeedingStore::seed(const StreamName& stream) {
  if (seeded_ || stream.category() != category_) return {};
  seeded_ = true;
  if (history_.empty()) return {};
  auto appended = store_.append(stream, ExpectedVersion::no_stream(), history_);
  if (!appended) return std::unexpected(std::move(appended.error()));
  return {};
}

Result<void> HistorySeedingStore::around(const ForwardedCall& call, const ForwardedAttempt& attempt) {
  if (call.stream != nullptr) {
    if (auto seeded = seed(*call.stream); !seeded) return seeded;
  }
  return attempt();
}

std::vector<RecordedEvent> HistorySeedingStore::new_events() const {
  auto all = store_.recorded_events();
  std::size_t history = seeded_ ? history_.size() : 0;
  return {all.begin() + static_cast<std::ptrdiff_t>(std::min(history, all.size())), all.end()};
}

}  // namespace eventstore::testing::detail
