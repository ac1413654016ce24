#include "pending_invalidations.hpp"

namespace eventstore::cache {

void PendingInvalidations::add(std::string_view key) {
  std::lock_guard lock(mutex_);
  add_locked(key);
}

void PendingInvalidations::add(std::span<const std::string> keys) {
  std::lock_guard lock(mutex_);
  for (const auto& key : keys) add_locked(key);
}

void PendingInvalidations::add_locked(std::string_view key) {
  if (keys_.size() >= capacity_ && !keys_.contains(std::string(key))) {
    ++dropped_;
    return;
  }
  keys_.emplace(key);
}

std::vector<std::string> PendingInvalidations::take() {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out(keys_.begin(), keys_.end());
  keys_.clear();
  return out;
}

std::size_t PendingInvalidations::size() const {
  std::lock_guard lock(mutex_);
  return keys_.size();
}

std::size_t PendingInvalidations::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

}  // namespace eventstore::cache
