#include "level2_availability.hpp"

namespace eventstore::cache {

std::string_view to_string(Level2State state) noexcept {
  switch (state) {
    case Level2State::absent: return "absent";
    case Level2State::connected: return "connected";
    case Level2State::unavailable: return "unavailable";
  }
  return "unknown";
}

Level2Availability::Level2Availability(Clock& clock, std::chrono::milliseconds retry_interval)
    : clock_(clock), retry_interval_(retry_interval) {}

Level2Availability::Permission Level2Availability::permission() {
  std::lock_guard lock(mutex_);
  if (available_) return Permission::granted;
  if (probing_ || clock_.now() < next_retry_) return Permission::refused;
  probing_ = true;
  return Permission::probe;
}

bool Level2Availability::succeeded(Permission permission) {
  std::lock_guard lock(mutex_);
  // A call that started before the failure proves nothing about now: only the probe recovers.
  if (available_ || permission != Permission::probe) return false;
  available_ = true;
  probing_ = false;
  return true;
}

void Level2Availability::failed(Permission permission, const Error& error) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  if (available_) unavailable_since_ = now;
  available_ = false;
  if (permission == Permission::probe) probing_ = false;
  next_retry_ = now + retry_interval_;
  last_error_ = error.describe();
}

CacheStatus Level2Availability::status() const {
  std::lock_guard lock(mutex_);
  CacheStatus status;
  status.level2 = available_ ? Level2State::connected : Level2State::unavailable;
  if (!available_) {
    status.level2_unavailable_since = unavailable_since_;
    status.level2_next_retry = next_retry_;
  }
  status.level2_last_error = last_error_;
  return status;
}

}  // namespace eventstore::cache
