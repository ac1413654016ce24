// Keys invalidated while level 2 was unavailable: sent to level 2 when it
// answers again, so that it does not serve what changed meanwhile. Bounded;
// what does not fit is counted as dropped (those keys rely on their time to
// live and on the position rule). Thread-safe.
#pragma once

#include <cstddef>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace eventstore::cache {

class PendingInvalidations {
 public:
  explicit PendingInvalidations(std::size_t capacity) : capacity_(capacity) {}

  void add(std::string_view key);
  void add(std::span<const std::string> keys);
  // Takes every key out (to send); give them back with add() if sending fails.
  [[nodiscard]] std::vector<std::string> take();

  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t dropped() const;

 private:
  void add_locked(std::string_view key);

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_set<std::string> keys_;
  std::size_t dropped_ = 0;
};

}  // namespace eventstore::cache
