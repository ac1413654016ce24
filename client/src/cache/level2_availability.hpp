// Whether level 2 may be called: while it answers, always; after a failure,
// not for retry_interval, and then by one request at a time (the probe) until
// a probe succeeds. So a dead Redis costs one timeout per interval, not one
// per request. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "eventstore/cache/cache_status.hpp"
#include "eventstore/store/clock.hpp"
#include "eventstore/store/error.hpp"

namespace eventstore::cache {

class Level2Availability {
 public:
  enum class Permission { refused, granted, probe };

  Level2Availability(Clock& clock, std::chrono::milliseconds retry_interval);

  [[nodiscard]] Permission permission();
  // Reports a call made with `permission`; true when it brought level 2 back.
  bool succeeded(Permission permission);
  void failed(Permission permission, const Error& error);

  // The level-2 fields of a CacheStatus.
  [[nodiscard]] CacheStatus status() const;

 private:
  Clock& clock_;
  const std::chrono::milliseconds retry_interval_;
  mutable std::mutex mutex_;
  bool available_ = true;
  bool probing_ = false;
  Clock::time_point unavailable_since_{};
  Clock::time_point next_retry_{};
  std::string last_error_;
};

}  // namespace eventstore::cache
