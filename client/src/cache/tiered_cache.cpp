#include "eventstore/cache/tiered_cache.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include "cache_counters.hpp"
#include "level2_availability.hpp"
#include "pending_invalidations.hpp"
#include "single_flight.hpp"

namespace eventstore::cache {

namespace {

// What one request has done so far, so that it is counted once as a fallback.
struct Request {
  bool fell_back = false;
};

using Level2Call = std::function<Result<void>(CacheLevel&)>;

}  // namespace

struct TieredCache::State {
  State(TieredCacheOptions options_in, std::unique_ptr<CacheLevel> level2_in, Clock& clock_in)
      : options(std::move(options_in)),
        clock(clock_in),
        level1(options.level1, clock_in),
        level2(std::move(level2_in)),
        availability(clock_in, options.level2_retry_interval),
        pending(options.pending_level2_invalidations) {}

  TieredCacheOptions options;
  Clock& clock;
  MemoryCache level1;
  std::unique_ptr<CacheLevel> level2;
  Level2Availability availability;
  PendingInvalidations pending;
  SingleFlight flights;
  CacheCounters counters;

  void note_fallback(Request& request) {
    if (request.fell_back) return;
    request.fell_back = true;
    CacheCounters::bump(counters.fallbacks);
  }

  // Runs `call` on level 2 when there is one and it may be called. Sets
  // `answered` when the call ran and succeeded. Returns an error only when
  // the call failed and falling back is off: otherwise the request goes on
  // without level 2.
  Result<void> with_level2(const Level2Call& call, Request& request, bool& answered) {
    answered = false;
    if (!level2) return {};
    // Without fallback every call is a real test of level 2 (no back-off), so any success shows it is back.
    auto permission = Level2Availability::Permission::probe;
    if (options.fall_back_when_level2_fails) {
      permission = availability.permission();
      if (permission == Level2Availability::Permission::refused) {
        note_fallback(request);
        return {};
      }
    }
    auto outcome = call(*level2);
    if (outcome) {
      answered = true;
      if (availability.succeeded(permission)) send_pending_invalidations();
      return {};
    }
    CacheCounters::bump(counters.level2_errors);
    availability.failed(permission, outcome.error());
    if (!options.fall_back_when_level2_fails) return std::unexpected(outcome.error());
    note_fallback(request);
    return {};
  }

  Result<void> with_level2(const Level2Call& call, Request& request) {
    bool answered = false;
    return with_level2(call, request, answered);
  }

  // Right after level 2 came back: what was invalidated while it was away.
  void send_pending_invalidations() {
    auto keys = pending.take();
    if (keys.empty()) return;
    if (auto sent = level2->erase_many(keys); !sent) {
      pending.add(keys);
      CacheCounters::bump(counters.level2_errors);
      availability.failed(Level2Availability::Permission::granted, sent.error());
    }
  }

  // Level 1's value of `key` if it is at `min_position` or newer.
  std::optional<CachedValue> level1_value(std::string_view key, LogPosition min_position, bool count_stale) {
    auto entry = *level1.get(key);
    if (!entry) return std::nullopt;
    if (entry->value.position < min_position) {
      if (count_stale) CacheCounters::bump(counters.stale_entries);
      return std::nullopt;
    }
    CacheCounters::bump(counters.level1_hits);
    return std::move(entry->value);
  }

  // The leader's part of a flight: level 1 again, level 2, then the loader.
  FlightResult lead(std::string_view key, LogPosition min_position, const CacheLoader* loader,
                    std::chrono::milliseconds time_to_live, Flight& flight, Request& request) {
    // A flight that landed between our miss and our seat may have stored it.
    if (auto value = level1_value(key, min_position, false)) return value;

    std::optional<CacheEntry> level2_entry;
    auto looked_up = with_level2(
        [&](CacheLevel& level) -> Result<void> {
          auto found = level.get(key);
          if (!found) return std::unexpected(found.error());
          level2_entry = std::move(*found);
          return {};
        },
        request);
    if (!looked_up) return std::unexpected(looked_up.error());
    if (level2_entry) {
      if (level2_entry->value.position >= min_position) {
        CacheCounters::bump(counters.level2_hits);
        // Level 1's copy must not outlive level 2's.
        auto left = level2_entry->time_to_live > std::chrono::milliseconds::zero()
                        ? std::min(level2_entry->time_to_live, time_to_live)
                        : time_to_live;
        flight.store_unless_invalidated(level2_entry->value, [&] { (void)level1.put(key, level2_entry->value, left); });
        return std::move(level2_entry->value);
      }
      CacheCounters::bump(counters.stale_entries);
    }

    CacheCounters::bump(counters.misses);
    if (loader == nullptr) return std::optional<CachedValue>{};
    CacheCounters::bump(counters.loads);
    auto loaded = (*loader)();
    if (!loaded) {
      CacheCounters::bump(counters.load_errors);
      return std::unexpected(loaded.error());
    }
    Result<void> stored;
    flight.store_unless_invalidated(*loaded, [&] {
      stored = with_level2([&](CacheLevel& level) { return level.put(key, *loaded, time_to_live); }, request);
      (void)level1.put(key, *loaded, time_to_live);
    });
    if (!stored) return std::unexpected(stored.error());
    return std::move(*loaded);
  }

  FlightResult find(std::string_view key, LogPosition min_position, const CacheLoader* loader,
                    std::chrono::milliseconds time_to_live) {
    if (auto value = level1_value(key, min_position, true)) return value;
    Request request;
    // Waiting twice for flights that did not serve us is enough: then load
    // alone rather than queue behind a third.
    for (int waits = 0;; ++waits) {
      auto seat = waits < 2 ? flights.join(key) : SingleFlight::Seat{std::make_shared<Flight>(), true};
      if (seat.leader) {
        FlightResult result = std::optional<CachedValue>{};
        try {
          result = lead(key, min_position, loader, time_to_live, *seat.flight, request);
        } catch (...) {
          // The waiters must not wait forever for a loader that threw.
          flights.land(key, seat.flight, std::unexpected(Error(ErrorCode::internal, "cache: the loader threw")));
          throw;
        }
        flights.land(key, seat.flight, result);
        return result;
      }
      CacheCounters::bump(counters.coalesced_waits);
      auto result = seat.flight->wait();
      // A loader's error (or level 2's, without fallback) goes to every waiter.
      if (!result) return result;
      if (*result && (*result)->position >= min_position) return result;
      if (!*result && loader == nullptr) return result;
      // The flight found nothing to load or a value older than our position: our own turn.
    }
  }
};

TieredCache::TieredCache(TieredCacheOptions options, std::unique_ptr<CacheLevel> level2, Clock& clock)
    : state_(std::make_unique<State>(std::move(options), std::move(level2), clock)) {}

TieredCache::~TieredCache() = default;

Result<std::optional<CachedValue>> TieredCache::get(std::string_view key, LogPosition min_position) {
  return state_->find(key, min_position, nullptr, state_->options.time_to_live);
}

Result<CachedValue> TieredCache::get_or_load(std::string_view key, LogPosition min_position, const CacheLoader& loader,
                                             std::optional<std::chrono::milliseconds> time_to_live) {
  auto found = state_->find(key, min_position, &loader, time_to_live.value_or(state_->options.time_to_live));
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::unexpected(Error(ErrorCode::internal, "cache: the loader returned no value"));
  return std::move(**found);
}

Result<void> TieredCache::put(std::string_view key, const CachedValue& value,
                              std::optional<std::chrono::milliseconds> time_to_live) {
  const auto ttl = time_to_live.value_or(state_->options.time_to_live);
  Request request;
  auto stored = state_->with_level2([&](CacheLevel& level) { return level.put(key, value, ttl); }, request);
  (void)state_->level1.put(key, value, ttl);
  return stored;
}

Result<void> TieredCache::invalidate(std::string_view key) {
  CacheCounters::bump(state_->counters.invalidations);
  state_->flights.invalidate(key);
  (void)state_->level1.erase(key);
  Request request;
  bool answered = false;
  auto erased = state_->with_level2([&](CacheLevel& level) { return level.erase(key); }, request, answered);
  if (state_->level2 && !answered) state_->pending.add(key);
  return erased;
}

Result<void> TieredCache::invalidate_before(std::string_view key, LogPosition position) {
  CacheCounters::bump(state_->counters.invalidations);
  state_->flights.invalidate(key, position);
  (void)state_->level1.erase_older_than(key, position);
  Request request;
  bool answered = false;
  auto erased =
      state_->with_level2([&](CacheLevel& level) { return level.erase_older_than(key, position); }, request, answered);
  // Later, level 2 gets a plain erase: dropping a newer value costs only a reload.
  if (state_->level2 && !answered) state_->pending.add(key);
  return erased;
}

Result<void> TieredCache::invalidate_many(std::span<const std::string> keys) {
  if (keys.empty()) return {};
  CacheCounters::bump(state_->counters.invalidations, keys.size());
  for (const auto& key : keys) state_->flights.invalidate(key);
  (void)state_->level1.erase_many(keys);
  Request request;
  bool answered = false;
  auto erased = state_->with_level2([&](CacheLevel& level) { return level.erase_many(keys); }, request, answered);
  if (state_->level2 && !answered) state_->pending.add(keys);
  return erased;
}

CacheStatus TieredCache::status() const {
  if (!state_->level2) return CacheStatus{};
  auto status = state_->availability.status();
  status.pending_level2_invalidations = state_->pending.size();
  status.dropped_level2_invalidations = state_->pending.dropped();
  return status;
}

CacheStatistics TieredCache::statistics() const {
  auto statistics = state_->counters.read();
  const auto level1 = state_->level1.statistics();
  statistics.evictions = level1.evictions;
  statistics.expirations = level1.expirations;
  statistics.level1_entries = level1.entries;
  statistics.level1_bytes = level1.bytes;
  return statistics;
}

MemoryCache& TieredCache::level1() noexcept { return state_->level1; }

}  // namespace eventstore::cache
