// Loads aggregates from their streams and saves the events they decide, with
// optimistic concurrency: a save appends with the version the aggregate was
// loaded at, so a concurrent writer makes it fail (wrong_expected_version)
// instead of overwriting. update() handles that by loading, deciding and
// appending again, up to the ConflictRetryPolicy.
//
//   eventstore::Repository<Order> orders{client, snapshots, registry, {.snapshots = eventstore::snapshot_every(100)}};
//   auto outcome = orders.update("42", [&](const Order& order) { return order.ship(command); });
//   if (!outcome) return outcome.error();          // rejected, invalid, store error ...
//   outcome->conflicts;                            // how often another writer was first
//
// With a SnapshotStore a load is one round trip for the newest snapshot and
// the events after it; without one, the stream is replayed from its start a
// page at a time. Every event is written with the current CommandContext's
// metadata (a new command id when there is none) and its type's schema
// version.
//
// With RepositoryOptions::cache, the aggregates last loaded or saved stay in
// memory: a load that finds its aggregate there makes no round trip, and the
// save appends with the cached version as expected version, so an entry made
// stale by another writer fails that append and is dropped, and update()
// loads again from the store. Any other failure of a save drops the entry too.
//
// The stores and the registry must outlive the repository. Thread-safe as
// far as the stores are: any number of threads may load, save and update at
// once (an aggregate is never shared: each load makes its own copy).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "eventstore/framework/aggregate.hpp"
#include "eventstore/framework/command_context.hpp"
#include "eventstore/framework/command_error.hpp"
#include "eventstore/framework/command_outcome.hpp"
#include "eventstore/framework/decision.hpp"
#include "eventstore/framework/detail/repository_cache.hpp"
#include "eventstore/framework/detail/repository_support.hpp"
#include "eventstore/framework/event_type_registry.hpp"
#include "eventstore/framework/repository_options.hpp"
#include "eventstore/store/event_data.hpp"
#include "eventstore/store/event_store.hpp"
#include "eventstore/store/snapshot_store.hpp"

namespace eventstore {

// An aggregate as loaded: its state and the version of the last event in it.
template <Aggregate A>
struct LoadedAggregate {
  std::string id;
  StreamName stream;
  A state{};
  // StreamVersion::no_stream() for an aggregate that has no events yet.
  StreamVersion version = StreamVersion::no_stream();
  // The version of the snapshot the state started from; none when replayed from the start.
  std::optional<StreamVersion> snapshot_version{};

  [[nodiscard]] bool exists() const noexcept { return version.stream_exists(); }
};

namespace detail {
template <class Event, class Variant>
inline constexpr bool is_alternative_v = false;
template <class Event, class... Alternatives>
inline constexpr bool is_alternative_v<Event, std::variant<Alternatives...>> = (std::same_as<Event, Alternatives> ||
                                                                                ...);

template <class T>
inline constexpr bool is_decision_v = false;
template <class... Events>
inline constexpr bool is_decision_v<Decision<Events...>> = true;
}  // namespace detail

template <Aggregate A>
class Repository {
 public:
  using Event = typename A::Event;

  Repository(EventStore& events, const EventTypeRegistry& registry, RepositoryOptions options = {})
      : events_(&events), registry_(&registry), options_(std::move(options)) {
    if (options_.category.empty()) options_.category = std::string{aggregate_category<A>()};
    build_decoders(std::make_index_sequence<std::variant_size_v<Event>>{});
    if (options_.cache.enabled()) cache_ = std::make_unique<detail::RepositoryCache<A>>(options_.cache.capacity);
  }

  // Loads through `snapshots` and saves snapshots as options.snapshots says.
  Repository(EventStore& events, SnapshotStore& snapshots, const EventTypeRegistry& registry,
             RepositoryOptions options = {}) requires SnapshotCapable<A>
      : Repository(events, registry, std::move(options)) {
    snapshots_ = &snapshots;
  }

  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;

  // The aggregate with the given id, as its events (and snapshot) make it.
  // An aggregate without events loads as A{} at StreamVersion::no_stream().
  [[nodiscard]] CommandResult<LoadedAggregate<A>> load(std::string_view id) {
    auto stream = stream_for(id);
    if (!stream) return std::unexpected(std::move(stream.error()));
    LoadedAggregate<A> aggregate{std::string{id}, std::move(*stream)};
    detail::count(counters_.loads);
    if (cache_) {
      if (auto cached = cache_->find(aggregate.stream.value())) {
        detail::count(counters_.cache_hits);
        aggregate.state = std::move(cached->state);
        aggregate.version = cached->version;
        aggregate.snapshot_version = cached->snapshot_version;
        return aggregate;
      }
      detail::count(counters_.cache_misses);
    }
    auto loaded = load_from_store(aggregate);
    if (!loaded) {
      forget(aggregate.stream);
      return std::unexpected(std::move(loaded.error()));
    }
    // An aggregate without events is not kept: ids that are only looked up would crowd out the others.
    if (aggregate.exists()) remember(aggregate);
    return aggregate;
  }

  // Appends `events` to the aggregate's stream if it is still at the version
  // it was loaded at, applies them to `aggregate` (state and version), and
  // saves a snapshot when the policy says so. Nothing is appended for no events.
  [[nodiscard]] CommandResult<void> save(LoadedAggregate<A>& aggregate, std::span<const Event> events) {
    if (events.empty()) return {};
    auto saved = append_and_apply(aggregate, events);
    if (!saved) {
      // Whatever the cache held for this stream is not the stream's state any more, or may not be.
      forget(aggregate.stream);
      return saved;
    }
    remember(aggregate);
    return saved;
  }

  [[nodiscard]] CommandResult<void> save(LoadedAggregate<A>& aggregate, const std::vector<Event>& events) {
    return save(aggregate, std::span<const Event>{events});
  }

 private:
  [[nodiscard]] CommandResult<void> load_from_store(LoadedAggregate<A>& aggregate) {
    std::optional<StreamVersion> replay_from = StreamVersion{0};
    if (snapshots_ != nullptr) {
      auto loaded = load_from_snapshot(aggregate);
      if (!loaded) return std::unexpected(std::move(loaded.error()));
      replay_from = *loaded;
    }
    if (replay_from) {
      for (auto& event : events_->stream(aggregate.stream, {.from = *replay_from, .page_size = options_.page_size})) {
        if (!event) return std::unexpected(CommandError::store_error(std::move(event.error())));
        if (auto applied = apply_recorded(aggregate, *event); !applied) return std::unexpected(applied.error());
      }
    }
    return {};
  }

  [[nodiscard]] CommandResult<void> append_and_apply(LoadedAggregate<A>& aggregate, std::span<const Event> events) {
    CommandContext fallback;
    const CommandContext& context = current_or(fallback);
    std::vector<EventData> records;
    records.reserve(events.size());
    for (const Event& event : events) {
      auto encoded = std::visit([&](const auto& alternative) { return registry_->encode(alternative); }, event);
      if (!encoded) return std::unexpected(std::move(encoded.error()));
      records.push_back(EventData::create(std::move(encoded->type), std::move(encoded->data),
                                          context.event_metadata(encoded->schema_version).to_json()));
    }
    detail::count(counters_.saves);
    auto appended = events_->append(aggregate.stream, ExpectedVersion::exactly(aggregate.version), records);
    if (!appended) {
      CommandError error = detail::append_failure(std::move(appended.error()));
      if (detail::is_conflict(error)) detail::count(counters_.conflicts);
      return std::unexpected(std::move(error));
    }
    detail::count(counters_.events_appended, events.size());
    for (const Event& event : events) apply_event(aggregate.state, event);
    aggregate.version = appended->next_expected_version;
    save_snapshot_if_due(aggregate);
    return {};
  }

  void remember(const LoadedAggregate<A>& aggregate) {
    if (!cache_) return;
    auto put = cache_->put(aggregate.stream.value(),
                           detail::CachedAggregate<A>{aggregate.state, aggregate.version, aggregate.snapshot_version});
    if (put.evicted > 0) detail::count(counters_.cache_evictions, put.evicted);
  }

  void forget(const StreamName& stream) {
    if (cache_ && cache_->erase(stream.value())) detail::count(counters_.cache_invalidations);
  }

 public:
  // Load, decide, save; on a conflict load, decide and save again, up to the
  // ConflictRetryPolicy. `decide` takes the state (const A&) and returns a
  // Decision of events the aggregate applies; a rejection is returned as
  // CommandError::rejected and nothing is written.
  template <class Decide>
  requires std::invocable<Decide&, const A&> &&
      detail::is_decision_v<std::remove_cvref_t<std::invoke_result_t<Decide&, const A&>>>
  [[nodiscard]] CommandResult<CommandOutcome> update(std::string_view id, Decide&& decide) {
    // Outside the command bus the whole update is one command of its own.
    std::optional<CommandContext> own_context;
    std::optional<CommandContextScope> own_scope;
    if (CommandContext::current() == nullptr) {
      own_context = CommandContext{}.completed();
      own_scope.emplace(*own_context);
    }
    int conflicts = 0;
    for (int attempt = 1;; ++attempt) {
      if (auto late = detail::deadline_passed("loading " + options_.category + "-" + std::string{id}))
        return std::unexpected(std::move(*late));
      auto aggregate = load(id);
      if (!aggregate) return std::unexpected(std::move(aggregate.error()));
      const auto decision = std::invoke(decide, std::as_const(aggregate->state));
      if (decision.rejected()) return std::unexpected(CommandError::rejected(decision.rejection()));
      std::vector<Event> events = to_aggregate_events(decision);
      CommandOutcome outcome{aggregate->stream.value(), aggregate->version, {}, conflicts};
      if (events.empty()) return outcome;
      auto saved = save(*aggregate, events);
      if (saved) {
        outcome.version = aggregate->version;
        outcome.event_types = event_type_names(events);
        return outcome;
      }
      if (!detail::is_conflict(saved.error())) return std::unexpected(std::move(saved.error()));
      if (attempt >= options_.conflicts.max_attempts) {
        detail::count(counters_.conflict_retries_exhausted);
        return std::unexpected(std::move(saved.error()));
      }
      ++conflicts;
      detail::pause_before_next_attempt(options_.conflicts.max_pause);
    }
  }

  // "<category>-<id>".
  [[nodiscard]] CommandResult<StreamName> stream_for(std::string_view id) const {
    return detail::aggregate_stream(options_.category, id);
  }

  [[nodiscard]] RepositoryStatistics statistics() const noexcept { return counters_.read(); }
  [[nodiscard]] const RepositoryOptions& options() const noexcept { return options_; }
  [[nodiscard]] const EventTypeRegistry& registry() const noexcept { return *registry_; }
  [[nodiscard]] bool uses_snapshots() const noexcept { return snapshots_ != nullptr; }
  // Aggregates in the cache now (0 without one).
  [[nodiscard]] std::size_t cached_aggregates() const { return cache_ ? cache_->size() : 0; }

 private:
  // Turns a stored event of one registered type into the aggregate's Event.
  struct Decoder {
    std::string type;
    CommandResult<Event> (*decode)(const nlohmann::json& current_data, const RecordedEvent& event);
  };

  template <std::size_t... Index>
  void build_decoders(std::index_sequence<Index...>) {
    (add_decoder<std::variant_alternative_t<Index, Event>>(), ...);
  }

  template <class Alternative>
  void add_decoder() {
    const EventTypeEntry* entry = registry_->find<Alternative>();
    if (entry == nullptr) {
      unregistered_types_.push_back(readable_type_name(typeid(Alternative)));
      return;
    }
    decoders_.push_back(Decoder{entry->name, [](const nlohmann::json& data, const RecordedEvent& event) {
                                  auto decoded = EventTypeRegistry::from_current_data<Alternative>(data, event);
                                  if (!decoded) return CommandResult<Event>{std::unexpect, std::move(decoded.error())};
                                  return CommandResult<Event>{Event{std::move(*decoded)}};
                                }});
  }

  [[nodiscard]] CommandResult<void> apply_recorded(LoadedAggregate<A>& aggregate, const RecordedEvent& event) {
    const Decoder* decoder = nullptr;
    for (const Decoder& candidate : decoders_)
      if (candidate.type == event.type) decoder = &candidate;
    if (decoder == nullptr) return std::unexpected(not_applied(event));
    auto data = registry_->current_data(event);
    if (!data) return std::unexpected(std::move(data.error()));
    auto decoded = decoder->decode(*data, event);
    if (!decoded) return std::unexpected(std::move(decoded.error()));
    apply_event(aggregate.state, *decoded);
    aggregate.version = event.version;
    detail::count(counters_.events_replayed);
    return {};
  }

  [[nodiscard]] CommandError not_applied(const RecordedEvent& event) const {
    std::string message = "event " + EventTypeRegistry::describe_position(event) + " is of type " + event.type +
                          ", which " + readable_type_name(typeid(A)) + " does not apply";
    if (!unregistered_types_.empty()) {
      message += " (not registered:";
      for (const auto& name : unregistered_types_) message += " " + name;
      message += ")";
    }
    return CommandError::event_not_readable(std::move(message));
  }

  // Reads the snapshot and the first page after it into `aggregate`; returns
  // where the replay continues, if it does.
  [[nodiscard]] CommandResult<std::optional<StreamVersion>> load_from_snapshot(LoadedAggregate<A>& aggregate) {
    if constexpr (SnapshotCapable<A>) {
      auto loaded = snapshots_->load(aggregate.stream, LoadOptions{.state_schema_version = state_schema_version<A>(),
                                                                   .max_count = options_.page_size});
      if (!loaded) return std::unexpected(CommandError::store_error(std::move(loaded.error())));
      if (loaded->snapshot) {
        auto state = nlohmann::json::parse(loaded->snapshot->state, nullptr, /*allow_exceptions=*/false);
        try {
          aggregate.state = state.template get<A>();
          aggregate.version = loaded->snapshot->version;
          aggregate.snapshot_version = loaded->snapshot->version;
          detail::count(counters_.loads_from_snapshot);
        } catch (const std::exception&) {
          // A snapshot is only a shortcut: replay the stream instead.
          detail::count(counters_.unreadable_snapshots);
          aggregate.state = A{};
          return std::optional<StreamVersion>{StreamVersion{0}};
        }
      }
      for (const RecordedEvent& event : loaded->events)
        if (auto applied = apply_recorded(aggregate, event); !applied) return std::unexpected(applied.error());
      if (loaded->events.size() < static_cast<std::size_t>(options_.page_size)) return std::optional<StreamVersion>{};
      return std::optional<StreamVersion>{StreamVersion{aggregate.version.value() + 1}};
    } else {
      return std::optional<StreamVersion>{StreamVersion{0}};
    }
  }

  void save_snapshot_if_due(LoadedAggregate<A>& aggregate) {
    if constexpr (SnapshotCapable<A>) {
      if (snapshots_ == nullptr || !options_.snapshots.enabled()) return;
      std::int64_t since = aggregate.version.value() -
                           (aggregate.snapshot_version ? aggregate.snapshot_version->value() : std::int64_t{-1});
      if (since < options_.snapshots.every_events) return;
      std::string state;
      try {
        state = nlohmann::json(aggregate.state).dump();
      } catch (const std::exception&) {
        detail::count(counters_.snapshot_save_failures);
        return;
      }
      // The events are saved: a snapshot that fails only makes later loads longer.
      if (snapshots_->save_snapshot(aggregate.stream, aggregate.version, state,
                                    SaveSnapshotOptions{.state_schema_version = state_schema_version<A>()})) {
        aggregate.snapshot_version = aggregate.version;
        detail::count(counters_.snapshots_saved);
      } else {
        detail::count(counters_.snapshot_save_failures);
      }
    }
  }

  template <class... Decided>
  [[nodiscard]] static std::vector<Event> to_aggregate_events(const Decision<Decided...>& decision) {
    static_assert((detail::is_alternative_v<Decided, Event> && ...),
                  "every event a decision may hold must be one of the aggregate's Event alternatives");
    std::vector<Event> events;
    events.reserve(decision.events().size());
    for (const auto& decided : decision.events())
      std::visit([&](const auto& event) { events.emplace_back(event); }, decided);
    return events;
  }

  [[nodiscard]] std::vector<std::string> event_type_names(const std::vector<Event>& events) const {
    std::vector<std::string> names;
    names.reserve(events.size());
    for (const Event& event : events)
      std::visit(
          [&](const auto& alternative) {
            const EventTypeEntry* entry = registry_->find<std::remove_cvref_t<decltype(alternative)>>();
            names.push_back(entry != nullptr ? entry->name : std::string{});
          },
          event);
    return names;
  }

  [[nodiscard]] static const CommandContext& current_or(CommandContext& fallback) {
    if (const CommandContext* context = CommandContext::current()) return *context;
    fallback = CommandContext{}.completed();
    return fallback;
  }

  EventStore* events_;
  SnapshotStore* snapshots_ = nullptr;
  const EventTypeRegistry* registry_;
  RepositoryOptions options_;
  std::vector<Decoder> decoders_;
  std::vector<std::string> unregistered_types_;
  detail::RepositoryCounters counters_;
  // Null unless options.cache is enabled.
  std::unique_ptr<detail::RepositoryCache<A>> cache_;
};

}  // namespace eventstore
