// Single-flight: the loads in progress, one per key. The first caller to miss
// a key leads its flight (looks in level 2, calls the loader, stores); callers
// that miss the same key meanwhile wait for the leader's result instead of
// loading again. An invalidation of the key while the flight is in the air
// marks it, so that the leader does not store what it read before the change.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "eventstore/cache/cached_value.hpp"
#include "eventstore/store/log_position.hpp"
#include "eventstore/store/result.hpp"

namespace eventstore::cache {

// What a flight found: a value, nothing (a lookup without a loader), or an error.
using FlightResult = Result<std::optional<CachedValue>>;

class Flight {
 public:
  // Blocks until the leader has published.
  [[nodiscard]] FlightResult wait();
  void publish(FlightResult result);

  // Runs `store` unless an invalidation since the flight began forbids
  // storing `value`; under the flight's lock, so an invalidation either comes
  // first (nothing is stored) or waits and then erases what was stored.
  void store_unless_invalidated(const CachedValue& value, const std::function<void()>& store);
  void invalidate(std::optional<LogPosition> before);

 private:
  std::mutex mutex_;
  std::condition_variable published_;
  std::optional<FlightResult> result_;
  bool invalidated_ = false;
  std::optional<LogPosition> invalidated_before_;
};

class SingleFlight {
 public:
  struct Seat {
    std::shared_ptr<Flight> flight;
    bool leader = false;
  };

  // The flight of `key`, started (and led by the caller) when there is none.
  [[nodiscard]] Seat join(std::string_view key);
  // Takes the flight off the board (later misses start a new one), then publishes.
  void land(std::string_view key, const std::shared_ptr<Flight>& flight, FlightResult result);
  // Marks the flight of `key`, if one is in the air.
  void invalidate(std::string_view key, std::optional<LogPosition> before = std::nullopt);

 private:
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const noexcept { return std::hash<std::string_view>{}(key); }
  };

  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Flight>, KeyHash, std::equal_to<>> flights_;
};

}  // namespace eventstore::cache
