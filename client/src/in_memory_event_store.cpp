#include "eventstore/testing/in_memory_event_store.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "core/expected_version.hpp"
#include "core/input_check.hpp"
#include "jsonb_document.hpp"

namespace eventstore::testing {
namespace {

// The Client refuses an append above what one protocol message carries.
constexpr std::size_t largest_message_bytes = (std::size_t{1} << 30) - 1;

struct StoredEvent {
  RecordedEvent event;
  std::string data_key;
  std::optional<std::string> metadata_key;
};

// An event's payload as the server would store it.
struct CheckedPayload {
  detail::JsonbDocument data;
  std::optional<detail::JsonbDocument> metadata;
};

Error read_argument_error(std::string message) { return Error::from_server("22V08", std::move(message)); }

std::string describe_expected(std::int64_t expected) {
  switch (expected) {
    case core::expected_no_stream: return "no stream";
    case core::expected_stream_exists: return "an existing stream";
    default: return "version " + std::to_string(expected);
  }
}

Error event_id_reused(const StreamName& stream, const EventId& id) {
  return Error::from_server("23V02", "event id " + id.to_string() + " is already used by another event",
                            "An append to stream \"" + stream.value() +
                                "\" is repeated only when every event has the same id, stream, order, type, data "
                                "and metadata as before.");
}

// What the Client checks before it sends an append.
Result<void> check_as_the_client_does(ExpectedVersion expected, std::span<const EventData> events) {
  if (auto problem = core::check_expected_version(expected.value()))
    return std::unexpected(
        Error{ErrorCode::invalid_expected_version,
              std::string{core::describe(*problem)} + (expected.value() == std::numeric_limits<std::int64_t>::min()
                                                           ? ", got ExpectedVersion::exactly() of a version below -1"
                                                           : ", got " + std::to_string(expected.value()))});
  std::size_t total_bytes = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (auto problem = core::check_event_type(events[i].type))
      return std::unexpected(Error{ErrorCode::invalid_event_type,
                                   std::string{core::describe(*problem)} + " (event " + std::to_string(i + 1) + ")"});
    total_bytes += events[i].type.size() + events[i].data.size() + events[i].metadata.size() + 40;
    if (total_bytes > largest_message_bytes)
      return std::unexpected(
          Error{ErrorCode::event_too_large, "the events of one append must fit in 1 GiB (reached at event " +
                                                std::to_string(i + 1) + "); split the append"});
  }
  return {};
}

// The server reads all data, then all metadata (its parameters, in order).
Result<std::vector<CheckedPayload>> parse_payloads(std::span<const EventData> events) {
  std::vector<CheckedPayload> payloads(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto data = detail::parse_jsonb(events[i].data);
    if (!data) return std::unexpected(std::move(data.error()));
    payloads[i].data = std::move(*data);
  }
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].metadata.empty()) continue;  // no metadata: SQL NULL
    auto metadata = detail::parse_jsonb(events[i].metadata);
    if (!metadata) return std::unexpected(std::move(metadata.error()));
    payloads[i].metadata = std::move(*metadata);
  }
  return payloads;
}

// What the server checks before it looks at the stream.
Result<void> check_as_the_server_does(const InMemoryEventStoreOptions& options, const StreamName& stream,
                                      std::span<const EventData> events, const std::vector<CheckedPayload>& payloads) {
  if (events.empty())
    return std::unexpected(
        Error::from_server("22V06", "an append to stream \"" + stream.value() + "\" needs at least one event"));
  if (events.size() > static_cast<std::size_t>(std::max(options.max_append_events, 0)))
    return std::unexpected(Error::from_server(
        "22V05",
        "an append may write at most " + std::to_string(options.max_append_events) + " events, got " +
            std::to_string(events.size()) + " for stream \"" + stream.value() + "\"",
        {}, "Split the append, or raise eventstore.max_append_events."));
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    std::size_t size = payloads[i].data.stored_size + (payloads[i].metadata ? payloads[i].metadata->stored_size : 0);
    if (size > options.max_event_size)
      return std::unexpected(
          Error::from_server("22V04",
                             "event " + std::to_string(i + 1) + " of stream \"" + stream.value() +
                                 "\" is too large: " + std::to_string(size) +
                                 " bytes of data and metadata, the limit is " + std::to_string(options.max_event_size),
                             {}, "Raise eventstore.max_event_size, or store large payloads elsewhere."));
  }
  if (events.size() > 1) {
    std::vector<EventId> ids;
    ids.reserve(events.size());
    for (const EventData& event : events) ids.push_back(event.id);
    std::sort(ids.begin(), ids.end());
    if (auto repeated = std::adjacent_find(ids.begin(), ids.end()); repeated != ids.end())
      return std::unexpected(
          Error::from_server("22V07", "event id " + repeated->to_string() + " appears more than once in one append"));
  }
  return {};
}

std::chrono::sys_time<std::chrono::microseconds> system_now() {
  return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

}  // namespace

struct InMemoryEventStore::Contents {
  // The global log: the event at index i has position i + 1.
  std::vector<StoredEvent> log;
  // Each stream's events as indexes into the log, in version order.
  std::map<std::string, std::vector<std::size_t>, std::less<>> streams;
  std::unordered_map<EventId, std::size_t> log_index_by_id;
  std::uint64_t last_transaction_id = 0;

  [[nodiscard]] const std::vector<std::size_t>* stream(const StreamName& name) const {
    auto found = streams.find(name.value());
    return found == streams.end() ? nullptr : &found->second;
  }

  [[nodiscard]] std::int64_t version_of(const StreamName& name) const {
    const std::vector<std::size_t>* events = stream(name);
    return events == nullptr ? core::no_stream_version : static_cast<std::int64_t>(events->size()) - 1;
  }

  // The original result when this append was done before; event_id_reused
  // when some of its ids belong to other events; nothing when it is new.
  [[nodiscard]] Result<std::optional<AppendResult>> earlier_append(const StreamName& name,
                                                                   std::span<const EventData> events,
                                                                   const std::vector<CheckedPayload>& payloads) const {
    std::size_t found_count = 0;
    std::size_t first_found = 0;
    std::int64_t base_version = 0;
    std::int64_t first_position = 0;
    std::int64_t last_position = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
      auto found = log_index_by_id.find(events[i].id);
      if (found == log_index_by_id.end()) continue;
      const StoredEvent& stored = log[found->second];
      if (found_count++ == 0) {
        first_found = i;
        base_version = stored.event.version.value() - static_cast<std::int64_t>(i);
      }
      bool same = stored.event.stream == name &&
                  stored.event.version.value() == base_version + static_cast<std::int64_t>(i) &&
                  stored.event.type == events[i].type && stored.data_key == payloads[i].data.equality_key &&
                  stored.metadata_key.has_value() == payloads[i].metadata.has_value() &&
                  (!stored.metadata_key || *stored.metadata_key == payloads[i].metadata->equality_key);
      if (!same) return std::unexpected(event_id_reused(name, events[i].id));
      if (i == 0) first_position = stored.event.log_position.position.value();
      if (i == events.size() - 1) last_position = stored.event.log_position.position.value();
    }
    if (found_count == 0) return std::optional<AppendResult>{};
    // A repeat is the whole append, never a part of it.
    if (found_count < events.size()) return std::unexpected(event_id_reused(name, events[first_found].id));
    return std::optional<AppendResult>{
        AppendResult{StreamVersion{base_version + static_cast<std::int64_t>(events.size()) - 1},
                     GlobalPosition{first_position}, GlobalPosition{last_position}}};
  }
};

InMemoryEventStore::InMemoryEventStore(InMemoryEventStoreOptions options)
    : options_(std::move(options)), contents_(std::make_unique<Contents>()) {
  if (!options_.clock) options_.clock = system_now;
}

InMemoryEventStore::~InMemoryEventStore() = default;

Result<AppendResult> InMemoryEventStore::append(const StreamName& stream, ExpectedVersion expected,
                                                std::span<const EventData> events) {
  // In the order the Client and the server check, so that the first problem
  // found is the one the server would report.
  if (auto checked = check_as_the_client_does(expected, events); !checked) return std::unexpected(checked.error());
  auto payloads = parse_payloads(events);
  if (!payloads) return std::unexpected(std::move(payloads.error()));
  if (auto checked = check_as_the_server_does(options_, stream, events, *payloads); !checked)
    return std::unexpected(checked.error());

  std::unique_lock lock(mutex_);
  Contents& contents = *contents_;
  auto earlier = contents.earlier_append(stream, events, *payloads);
  if (!earlier) return std::unexpected(std::move(earlier.error()));
  if (*earlier) return **earlier;

  std::int64_t current = contents.version_of(stream);
  if (!core::expected_version_matches(expected.value(), current))
    return std::unexpected(Error::from_server("23V01",
                                              "wrong expected version for stream \"" + stream.value() +
                                                  "\": expected " + describe_expected(expected.value()) +
                                                  ", actual version " + std::to_string(current),
                                              "actual version: " + std::to_string(current)));

  std::uint64_t transaction_id = ++contents.last_transaction_id;
  auto created_at = options_.clock();
  std::vector<std::size_t>& stream_events = contents.streams[stream.value()];
  for (std::size_t i = 0; i < events.size(); ++i) {
    std::size_t index = contents.log.size();
    CheckedPayload& payload = (*payloads)[i];
    StoredEvent stored{
        RecordedEvent{stream, StreamVersion{current + 1 + static_cast<std::int64_t>(i)},
                      LogPosition{transaction_id, GlobalPosition{static_cast<std::int64_t>(index) + 1}}, events[i].id,
                      events[i].type, std::move(payload.data.text),
                      payload.metadata ? std::move(payload.metadata->text) : std::string{}, created_at},
        std::move(payload.data.equality_key),
        payload.metadata ? std::optional<std::string>{std::move(payload.metadata->equality_key)} : std::nullopt};
    contents.log.push_back(std::move(stored));
    contents.log_index_by_id.emplace(events[i].id, index);
    stream_events.push_back(index);
  }
  const std::int64_t last_position = static_cast<std::int64_t>(contents.log.size());
  return AppendResult{StreamVersion{current + static_cast<std::int64_t>(events.size())},
                      GlobalPosition{last_position - static_cast<std::int64_t>(events.size()) + 1},
                      GlobalPosition{last_position}};
}

Result<std::vector<RecordedEvent>> InMemoryEventStore::read_stream(const StreamName& stream,
                                                                   const ReadStreamOptions& options) {
  if (options.max_count < 1)
    return std::unexpected(
        read_argument_error("max_count must be at least 1, got " + std::to_string(options.max_count)));
  if (options.from && options.from->value() < 0)
    return std::unexpected(
        read_argument_error("from_version must be at least 0, got " + std::to_string(options.from->value())));

  std::shared_lock lock(mutex_);
  std::vector<RecordedEvent> page;
  const std::vector<std::size_t>* events = contents_->stream(stream);
  if (events == nullptr) return page;
  auto count = static_cast<std::int64_t>(events->size());
  auto max_count = static_cast<std::int64_t>(options.max_count);
  if (options.direction == ReadDirection::forward) {
    std::int64_t from = options.from ? options.from->value() : 0;
    for (std::int64_t version = from; version < count && version - from < max_count; ++version)
      page.push_back(contents_->log[(*events)[static_cast<std::size_t>(version)]].event);
  } else {
    std::int64_t from = std::min(options.from ? options.from->value() : count - 1, count - 1);
    for (std::int64_t version = from; version >= 0 && from - version < max_count; --version)
      page.push_back(contents_->log[(*events)[static_cast<std::size_t>(version)]].event);
  }
  return page;
}

Result<std::vector<RecordedEvent>> InMemoryEventStore::read_all(std::optional<LogPosition> after,
                                                                std::int32_t max_count,
                                                                const std::vector<std::string>& event_types) {
  return read_log(std::nullopt, after, max_count, event_types);
}

Result<std::vector<RecordedEvent>> InMemoryEventStore::read_category(std::string_view category,
                                                                     std::optional<LogPosition> after,
                                                                     std::int32_t max_count,
                                                                     const std::vector<std::string>& event_types) {
  return read_log(category, after, max_count, event_types);
}

Result<std::vector<RecordedEvent>> InMemoryEventStore::read_log(std::optional<std::string_view> category,
                                                                std::optional<LogPosition> after,
                                                                std::int32_t max_count,
                                                                const std::vector<std::string>& event_types) const {
  // The Client's checks first, then the server's, as a real read meets them.
  for (std::size_t i = 0; i < event_types.size(); ++i)
    if (auto problem = core::check_event_type(event_types[i]))
      return std::unexpected(
          Error{ErrorCode::invalid_event_type,
                std::string{core::describe(*problem)} + " (event type filter " + std::to_string(i + 1) + ")"});
  if (category) {
    auto problem = core::check_stream_name(*category);
    if (problem && *problem != core::InputProblem::stream_name_empty)
      return std::unexpected(
          Error{ErrorCode::invalid_argument, "category must be at most 255 bytes of UTF-8 without control characters"});
    if (category->empty()) return std::unexpected(read_argument_error("category must not be empty"));
    if (category->find('-') != std::string_view::npos)
      return std::unexpected(read_argument_error("category \"" + std::string{*category} +
                                                 "\" contains '-'; a category is the part of a stream name before "
                                                 "its first '-'"));
  }
  if (max_count < 1)
    return std::unexpected(read_argument_error("max_count must be at least 1, got " + std::to_string(max_count)));

  std::shared_lock lock(mutex_);
  const std::vector<StoredEvent>& log = contents_->log;
  auto start = log.begin();
  if (after)
    start =
        std::upper_bound(log.begin(), log.end(), *after, [](const LogPosition& checkpoint, const StoredEvent& stored) {
          return checkpoint < stored.event.log_position;
        });
  std::vector<RecordedEvent> page;
  for (auto next = start; next != log.end() && page.size() < static_cast<std::size_t>(max_count); ++next) {
    const RecordedEvent& event = next->event;
    if (!event_types.empty() && std::find(event_types.begin(), event_types.end(), event.type) == event_types.end())
      continue;
    if (category && event.stream.category() != *category) continue;
    page.push_back(event);
  }
  return page;
}

Result<StreamVersion> InMemoryEventStore::stream_version(const StreamName& stream) {
  std::shared_lock lock(mutex_);
  return StreamVersion{contents_->version_of(stream)};
}

std::vector<RecordedEvent> InMemoryEventStore::recorded_events() const {
  std::shared_lock lock(mutex_);
  std::vector<RecordedEvent> events;
  events.reserve(contents_->log.size());
  for (const StoredEvent& stored : contents_->log) events.push_back(stored.event);
  return events;
}

}  // namespace eventstore::testing
