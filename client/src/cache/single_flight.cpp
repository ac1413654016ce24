#include "single_flight.hpp"

#include <utility>

namespace eventstore::cache {

FlightResult Flight::wait() {
  std::unique_lock lock(mutex_);
  published_.wait(lock, [&] { return result_.has_value(); });
  return *result_;
}

void Flight::publish(FlightResult result) {
  {
    std::lock_guard lock(mutex_);
    result_ = std::move(result);
  }
  published_.notify_all();
}

void Flight::store_unless_invalidated(const CachedValue& value, const std::function<void()>& store) {
  std::lock_guard lock(mutex_);
  if (invalidated_) return;
  if (invalidated_before_ && value.position < *invalidated_before_) return;
  store();
}

void Flight::invalidate(std::optional<LogPosition> before) {
  std::lock_guard lock(mutex_);
  if (!before) {
    invalidated_ = true;
  } else if (!invalidated_before_ || *invalidated_before_ < *before) {
    invalidated_before_ = before;
  }
}

SingleFlight::Seat SingleFlight::join(std::string_view key) {
  std::lock_guard lock(mutex_);
  if (auto found = flights_.find(key); found != flights_.end()) return {found->second, false};
  auto flight = std::make_shared<Flight>();
  flights_.emplace(std::string(key), flight);
  return {std::move(flight), true};
}

void SingleFlight::land(std::string_view key, const std::shared_ptr<Flight>& flight, FlightResult result) {
  {
    std::lock_guard lock(mutex_);
    if (auto found = flights_.find(key); found != flights_.end() && found->second == flight) flights_.erase(found);
  }
  flight->publish(std::move(result));
}

void SingleFlight::invalidate(std::string_view key, std::optional<LogPosition> before) {
  std::shared_ptr<Flight> flight;
  {
    std::lock_guard lock(mutex_);
    if (auto found = flights_.find(key); found != flights_.end()) flight = found->second;
  }
  if (flight) flight->invalidate(before);
}

}  // namespace eventstore::cache
