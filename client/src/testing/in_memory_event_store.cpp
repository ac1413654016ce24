#include "eventstore/testing/in_memory_event_store.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

#include "eventstore/core/consumer_group.hpp"
#include "eventstore/core/error_texts.hpp"
#include "eventstore/core/expected_version.hpp"
#include "eventstore/core/input_check.hpp"
#include "eventstore/core/sqlstate.hpp"
#include "eventstore/store/detail/client_checks.hpp"
#include "in_memory_contents.hpp"
#include "jsonb_document.hpp"

namespace eventstore::testing {
namespace {

// The Client refuses an append above what one protocol message carries.
constexpr std::size_t largest_message_bytes = (std::size_t{1} << 30) - 1;

// An event's payload as the server would store it.
struct CheckedPayload {
  detail::JsonbDocument data;
  std::optional<detail::JsonbDocument> metadata;
};

Error event_id_reused(const StreamName& stream, const EventId& id) {
  return Error::from_server(core::sqlstate::event_id_reused, core::event_id_reused_message(id.to_string()).str(),
                            core::event_id_reused_detail(stream.value()).str());
}

// What the Client checks before it sends an append.
Result<void> check_as_the_client_does(ExpectedVersion expected, std::span<const EventData> events) {
  if (auto checked = detail::check_expected_version(expected); !checked) return checked;
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
        Error::from_server(core::sqlstate::no_events, core::no_events_message(stream.value()).str()));
  if (events.size() > static_cast<std::size_t>(std::max(options.max_append_events, 0)))
    return std::unexpected(
        Error::from_server(core::sqlstate::too_many_events,
                           core::too_many_events_message(options.max_append_events,
                                                         static_cast<std::int64_t>(events.size()), stream.value())
                               .str(),
                           {}, core::too_many_events_hint));
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    std::size_t size = payloads[i].data.stored_size + (payloads[i].metadata ? payloads[i].metadata->stored_size : 0);
    if (size > options.max_event_size)
      return std::unexpected(
          Error::from_server(core::sqlstate::event_too_large,
                             core::event_too_large_message(static_cast<std::int64_t>(i + 1), stream.value(),
                                                           static_cast<std::int64_t>(size),
                                                           static_cast<std::int64_t>(options.max_event_size))
                                 .str(),
                             {}, core::event_too_large_hint));
  }
  if (events.size() > 1) {
    std::vector<EventId> ids;
    ids.reserve(events.size());
    for (const EventData& event : events) ids.push_back(event.id);
    std::sort(ids.begin(), ids.end());
    if (auto repeated = std::adjacent_find(ids.begin(), ids.end()); repeated != ids.end())
      return std::unexpected(Error::from_server(core::sqlstate::duplicate_event_id,
                                                core::duplicate_event_id_message(repeated->to_string()).str()));
  }
  return {};
}

std::chrono::sys_time<std::chrono::microseconds> system_now() {
  return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

}  // namespace

namespace {

// The original result when this append was done before; event_id_reused
// when some of its ids belong to other events; nothing when it is new. A
// reclaimed event is recognised by its id, stream and version (as the
// server's ledger of reclaimed ids keeps no payload), and, as on the server,
// only on a stream whose lifecycle may have let some of its events be reclaimed.
using IndexById = std::unordered_map<EventId, std::size_t>;

bool may_have_reclaimed_events(const StoredStream* stream) {
  return stream != nullptr && core::may_have_reclaimed_events(stream->lifecycle, stream->max_age.has_value());
}

Result<std::optional<AppendResult>> earlier_append(const std::vector<StoredEvent>& log,
                                                   const IndexById& log_index_by_id,
                                                   const IndexById* reclaimed_index_by_id, const StreamName& name,
                                                   std::span<const EventData> events,
                                                   const std::vector<CheckedPayload>& payloads) {
  std::size_t found_count = 0;
  std::size_t first_found = 0;
  std::int64_t base_version = 0;
  std::int64_t first_position = 0;
  std::int64_t last_position = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto found = log_index_by_id.find(events[i].id);
    bool reclaimed = found == log_index_by_id.end();
    if (reclaimed) {
      if (reclaimed_index_by_id == nullptr) continue;
      found = reclaimed_index_by_id->find(events[i].id);
      if (found == reclaimed_index_by_id->end()) continue;
    }
    const StoredEvent& stored = log[found->second];
    if (found_count++ == 0) {
      first_found = i;
      base_version = stored.event.version.value() - static_cast<std::int64_t>(i);
    }
    bool same =
        stored.event.stream == name && stored.event.version.value() == base_version + static_cast<std::int64_t>(i) &&
        (reclaimed || (stored.event.type == events[i].type && stored.data_key == payloads[i].data.equality_key &&
                       stored.metadata_key.has_value() == payloads[i].metadata.has_value() &&
                       (!stored.metadata_key || *stored.metadata_key == payloads[i].metadata->equality_key)));
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
}  // namespace

Error wrong_expected_version(const StreamName& stream, std::int64_t expected, std::int64_t actual) {
  return Error::from_server(core::sqlstate::wrong_expected_version,
                            core::wrong_expected_version_message(stream.value(), expected, actual).str(),
                            core::actual_version_detail(actual).str());
}

InMemoryEventStore::InMemoryEventStore(InMemoryEventStoreOptions options)
    : options_(std::move(options)), contents_(std::make_unique<Contents>()) {
  if (!options_.clock) options_.clock = system_now;
}

InMemoryEventStore::~InMemoryEventStore() = default;

void InMemoryEventStore::announce_log_change() {
  {
    std::lock_guard lock(change_mutex_);
    ++log_changes_;
  }
  log_changed_.notify_all();
}

std::uint64_t InMemoryEventStore::log_changes() const {
  std::lock_guard lock(change_mutex_);
  return log_changes_;
}

std::uint64_t InMemoryEventStore::wait_for_log_change(std::uint64_t seen, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(change_mutex_);
  log_changed_.wait_for(lock, timeout, [&] { return log_changes_ != seen; });
  return log_changes_;
}

Result<AppendResult> InMemoryEventStore::do_append(const StreamName& stream, ExpectedVersion expected,
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
  StoredStream* existing = contents.stream(stream);
  if (existing != nullptr && existing->lifecycle.tombstoned) return std::unexpected(stream_tombstoned(stream));
  const IndexById* reclaimed_ids = may_have_reclaimed_events(existing) ? &contents.reclaimed_index_by_id : nullptr;
  auto earlier = earlier_append(contents.log, contents.log_index_by_id, reclaimed_ids, stream, events, *payloads);
  if (!earlier) return std::unexpected(std::move(earlier.error()));
  if (*earlier) return **earlier;

  // A soft-deleted stream is appended to as if it did not exist; its versions
  // go on, and the events before the deletion stay hidden.
  std::int64_t current = existing != nullptr ? existing->current_version() : core::no_stream_version;
  if (!core::expected_version_matches(expected.value(), current))
    return std::unexpected(wrong_expected_version(stream, expected.value(), current));

  std::uint64_t transaction_id = ++contents.last_transaction_id;
  auto created_at = options_.clock();
  if (existing == nullptr) {
    existing = &contents.streams[stream.value()];
    existing->created_at = created_at;
  } else if (existing->lifecycle.deleted) {
    existing->lifecycle.deleted = false;
    existing->lifecycle.truncate_before = existing->version + 1;
  }
  StoredStream& target = *existing;
  const std::int64_t first_version = target.version + 1;
  for (std::size_t i = 0; i < events.size(); ++i) {
    std::size_t index = contents.log.size();
    CheckedPayload& payload = (*payloads)[i];
    StoredEvent stored{
        RecordedEvent{stream, StreamVersion{first_version + static_cast<std::int64_t>(i)},
                      LogPosition{transaction_id, GlobalPosition{static_cast<std::int64_t>(index) + 1}}, events[i].id,
                      events[i].type, std::move(payload.data.text),
                      payload.metadata ? std::move(payload.metadata->text) : std::string{}, created_at},
        std::move(payload.data.equality_key),
        payload.metadata ? std::optional<std::string>{std::move(payload.metadata->equality_key)} : std::nullopt};
    contents.log.push_back(std::move(stored));
    contents.log_index_by_id.emplace(events[i].id, index);
    target.events.push_back(index);
  }
  target.version += static_cast<std::int64_t>(events.size());
  const std::int64_t last_position = static_cast<std::int64_t>(contents.log.size());
  lock.unlock();
  announce_log_change();
  return AppendResult{StreamVersion{target.version},
                      GlobalPosition{last_position - static_cast<std::int64_t>(events.size()) + 1},
                      GlobalPosition{last_position}};
}

Result<std::vector<RecordedEvent>> InMemoryEventStore::do_read_stream(const StreamName& stream,
                                                                      const ReadStreamOptions& options) {
  if (options.max_count < 1)
    return std::unexpected(read_argument_error(core::below_minimum_message("max_count", 1, options.max_count).str()));
  if (options.from && options.from->value() < 0)
    return std::unexpected(
        read_argument_error(core::below_minimum_message("from_version", 0, options.from->value()).str()));

  std::shared_lock lock(mutex_);
  std::vector<RecordedEvent> page;
  const StoredStream* found = contents_->stream(stream);
  if (found == nullptr) return page;
  if (found->lifecycle.tombstoned) return std::unexpected(stream_tombstoned(stream));
  const auto now = options_.clock();
  auto count = static_cast<std::int64_t>(found->events.size());
  auto max_count = static_cast<std::size_t>(options.max_count);
  auto event_at = [&](std::int64_t version) -> const StoredEvent& {
    return contents_->log[found->events[static_cast<std::size_t>(version)]];
  };
  if (options.direction == ReadDirection::forward) {
    std::int64_t from = std::max(options.from ? options.from->value() : 0, found->first_visible_version());
    for (std::int64_t version = from; version < count && page.size() < max_count; ++version) {
      const StoredEvent& stored = event_at(version);
      if (!stored.reclaimed && found->shows(version, stored.event.created_at, now)) page.push_back(stored.event);
    }
  } else {
    std::int64_t from = std::min(options.from ? options.from->value() : count - 1, count - 1);
    for (std::int64_t version = from; version >= 0 && page.size() < max_count; --version) {
      const StoredEvent& stored = event_at(version);
      if (stored.reclaimed) break;
      // Hidden events are the oldest ones: going back, nothing visible follows.
      if (!found->shows(version, stored.event.created_at, now)) break;
      page.push_back(stored.event);
    }
  }
  return page;
}

Result<std::vector<RecordedEvent>> InMemoryEventStore::do_read_all(std::optional<LogPosition> after,
                                                                   std::int32_t max_count,
                                                                   const std::vector<std::string>& event_types) {
  return read_log(std::nullopt, std::nullopt, after, max_count, event_types);
}

Result<std::vector<RecordedEvent>> InMemoryEventStore::do_read_category(std::string_view category,
                                                                        std::optional<ConsumerGroup> group,
                                                                        std::optional<LogPosition> after,
                                                                        std::int32_t max_count,
                                                                        const std::vector<std::string>& event_types) {
  return read_log(category, group, after, max_count, event_types);
}

Result<std::vector<RecordedEvent>> InMemoryEventStore::read_log(std::optional<std::string_view> category,
                                                                std::optional<ConsumerGroup> group,
                                                                std::optional<LogPosition> after,
                                                                std::int32_t max_count,
                                                                const std::vector<std::string>& event_types) const {
  // The Client's checks first, then the server's, as a real read meets them.
  if (auto checked = detail::check_event_type_filter(event_types); !checked) return std::unexpected(checked.error());
  if (category) {
    if (auto checked = detail::check_category_bytes(*category); !checked) return std::unexpected(checked.error());
    if (category->empty()) return std::unexpected(read_argument_error(core::empty_category_message));
    if (category->find('-') != std::string_view::npos)
      return std::unexpected(read_argument_error(core::category_with_dash_message(*category).str()));
  }
  if (max_count < 1)
    return std::unexpected(read_argument_error(core::below_minimum_message("max_count", 1, max_count).str()));
  if (group && (group->size < 1 || group->member < 0 || group->member >= group->size))
    return std::unexpected(read_argument_error(core::consumer_group_member_message(group->member, group->size).str()));

  std::shared_lock lock(mutex_);
  const std::vector<StoredEvent>& log = contents_->log;
  auto start = log.begin();
  if (after)
    start =
        std::upper_bound(log.begin(), log.end(), *after, [](const LogPosition& checkpoint, const StoredEvent& stored) {
          return checkpoint < stored.event.log_position;
        });
  const auto now = options_.clock();
  std::vector<RecordedEvent> page;
  for (auto next = start; next != log.end() && page.size() < static_cast<std::size_t>(max_count); ++next) {
    const RecordedEvent& event = next->event;
    if (!event_types.empty() && std::find(event_types.begin(), event_types.end(), event.type) == event_types.end())
      continue;
    if (category && event.stream.category() != *category) continue;
    if (group && core::consumer_group_member(event.stream.value(), group->size) != group->member) continue;
    if (!contents_->shows(*next, now)) continue;
    page.push_back(event);
  }
  return page;
}

Result<StreamVersion> InMemoryEventStore::do_stream_version(const StreamName& stream) {
  std::shared_lock lock(mutex_);
  const StoredStream* found = contents_->stream(stream);
  if (found == nullptr) return StreamVersion::no_stream();
  if (found->lifecycle.tombstoned) return std::unexpected(stream_tombstoned(stream));
  return StreamVersion{found->current_version()};
}

Result<std::vector<RecordedEvent>> InMemoryEventStore::do_read_event_type(std::string_view event_type,
                                                                          std::optional<LogPosition> after,
                                                                          std::int32_t max_count) {
  if (auto checked = detail::check_event_type(event_type); !checked) return std::unexpected(checked.error());
  if (auto checked = detail::check_max_count(max_count); !checked) return std::unexpected(checked.error());
  return read_log(std::nullopt, std::nullopt, after, max_count, {std::string{event_type}});
}

Result<std::vector<RecordedEvent>> InMemoryEventStore::do_read_time_range(TimeRange range,
                                                                          std::optional<TimeRangePosition> after,
                                                                          std::int32_t max_count) {
  if (auto checked = detail::check_max_count(max_count); !checked) return std::unexpected(checked.error());
  std::shared_lock lock(mutex_);
  const auto now = options_.clock();
  std::vector<const StoredEvent*> matching;
  for (const StoredEvent& stored : contents_->log) {
    const RecordedEvent& event = stored.event;
    if (event.created_at < range.from || event.created_at >= range.to) continue;
    if (after && TimeRangePosition::of(event) <= *after) continue;
    if (contents_->shows(stored, now)) matching.push_back(&stored);
  }
  std::sort(matching.begin(), matching.end(), [](const StoredEvent* left, const StoredEvent* right) {
    return TimeRangePosition::of(left->event) < TimeRangePosition::of(right->event);
  });
  std::vector<RecordedEvent> page;
  for (std::size_t i = 0; i < matching.size() && page.size() < static_cast<std::size_t>(max_count); ++i)
    page.push_back(matching[i]->event);
  return page;
}

namespace {

// metadata ->> 'correlation_id' as the server computes it: a string's text,
// any other value as JSON; nothing for JSON null or a missing key.
std::optional<std::string> correlation_id_of(const RecordedEvent& event) {
  if (event.metadata.empty()) return std::nullopt;
  auto metadata = nlohmann::json::parse(event.metadata, nullptr, false);
  if (!metadata.is_object()) return std::nullopt;
  auto found = metadata.find("correlation_id");
  if (found == metadata.end() || found->is_null()) return std::nullopt;
  if (found->is_string()) return found->get<std::string>();
  return found->dump();
}

}  // namespace

Result<std::vector<RecordedEvent>> InMemoryEventStore::do_read_correlated(std::string_view correlation_id,
                                                                          std::optional<LogPosition> after,
                                                                          std::int32_t max_count) {
  if (auto checked = detail::check_correlation_id(correlation_id); !checked) return std::unexpected(checked.error());
  if (auto checked = detail::check_max_count(max_count); !checked) return std::unexpected(checked.error());
  std::shared_lock lock(mutex_);
  const auto now = options_.clock();
  std::vector<RecordedEvent> page;
  for (const StoredEvent& stored : contents_->log) {
    if (page.size() >= static_cast<std::size_t>(max_count)) break;
    if (after && stored.event.log_position <= *after) continue;
    if (!contents_->shows(stored, now)) continue;
    if (correlation_id_of(stored.event) == correlation_id) page.push_back(stored.event);
  }
  return page;
}

std::vector<RecordedEvent> InMemoryEventStore::recorded_events() const {
  std::shared_lock lock(mutex_);
  std::vector<RecordedEvent> events;
  events.reserve(contents_->log.size());
  for (const StoredEvent& stored : contents_->log)
    if (!stored.reclaimed) events.push_back(stored.event);
  return events;
}

}  // namespace eventstore::testing
