// The queue between a subscription's reader and its handler, bounded by a
// count and by bytes: push waits while either bound is reached (the reader
// slows down to the handler's pace), and an item larger than the byte bound
// alone still passes when the queue is empty, so nothing waits forever.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace eventstore::detail {

template <class Item>
class BoundedQueue {
 public:
  BoundedQueue(std::size_t capacity, std::size_t capacity_bytes)
      : capacity_(capacity > 0 ? capacity : 1), capacity_bytes_(capacity_bytes) {}

  // False when the queue was closed while waiting.
  bool push(Item item, std::size_t bytes) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return closed_ || has_room(bytes); });
    if (closed_) return false;
    items_.emplace_back(std::move(item), bytes);
    bytes_ += bytes;
    if (items_.size() > max_items_) max_items_ = items_.size();
    if (bytes_ > max_bytes_) max_bytes_ = bytes_;
    not_empty_.notify_one();
    return true;
  }

  // Nullopt once the queue is closed and empty.
  std::optional<Item> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;
    auto [item, bytes] = std::move(items_.front());
    items_.pop_front();
    bytes_ -= bytes;
    not_full_.notify_one();
    return std::move(item);
  }

  // The next item, or nullopt after `timeout` or once closed and empty
  // (closed() tells which).
  template <class Duration>
  std::optional<Item> pop_for(Duration timeout) {
    std::unique_lock lock(mutex_);
    not_empty_.wait_for(lock, timeout, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;
    auto [item, bytes] = std::move(items_.front());
    items_.pop_front();
    bytes_ -= bytes;
    not_full_.notify_one();
    return std::move(item);
  }

  [[nodiscard]] bool closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
  }

  // Wakes every waiter; later pushes fail, pops drain what is left.
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_full_.notify_all();
    not_empty_.notify_all();
  }

  struct Occupancy {
    std::size_t items, bytes, max_items, max_bytes;
  };
  [[nodiscard]] Occupancy occupancy() const {
    std::lock_guard lock(mutex_);
    return {items_.size(), bytes_, max_items_, max_bytes_};
  }

 private:
  bool has_room(std::size_t bytes) const {
    if (items_.empty()) return true;
    return items_.size() < capacity_ && bytes_ + bytes <= capacity_bytes_;
  }

  const std::size_t capacity_;
  const std::size_t capacity_bytes_;
  mutable std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<std::pair<Item, std::size_t>> items_;
  std::size_t bytes_ = 0;
  std::size_t max_items_ = 0;
  std::size_t max_bytes_ = 0;
  bool closed_ = false;
};

}  // namespace eventstore::detail
