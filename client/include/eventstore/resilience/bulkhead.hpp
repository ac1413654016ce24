// A bulkhead: at most max_concurrent_calls calls at once, so that one slow
// dependency cannot take every thread (or every pooled connection) of the
// application. A call that finds all places taken waits in a first-come,
// first-served queue of at most max_queued_calls for up to max_queue_wait;
// when the queue is full, or the wait is over, it is refused with
// ErrorCode::bulkhead_full (retryable). A wait also ends at the deadline of an
// enclosing DeadlineScope, with ErrorCode::timeout.
//
//   eventstore::Bulkhead bulkhead{{.max_concurrent_calls = 8, .max_queued_calls = 32}};
//   auto page = bulkhead.call([&] { return store.read_all(checkpoint, 500); });
//
// Thread-safe. It must outlive every call made through it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <utility>

#include "eventstore/resilience/result_callable.hpp"
#include "eventstore/store/clock.hpp"
#include "eventstore/store/error.hpp"
#include "eventstore/store/result.hpp"

namespace eventstore {

struct BulkheadOptions {
  // Calls inside at once (at least 1).
  std::size_t max_concurrent_calls = 16;
  // Calls that may wait for a place; 0 refuses at once when all places are taken.
  std::size_t max_queued_calls = 64;
  // The longest a call waits for a place.
  std::chrono::milliseconds max_queue_wait{1'000};
};

struct BulkheadCounters {
  std::size_t in_use = 0;      // calls inside now
  std::size_t queued = 0;      // calls waiting now
  std::uint64_t admitted = 0;  // calls let in since the bulkhead was made
  std::uint64_t rejected = 0;  // calls refused (queue full, wait over, deadline passed)
};

class Bulkhead {
 public:
  // A place inside the bulkhead, given back when the permit is destroyed.
  class Permit {
   public:
    Permit(Permit&& other) noexcept : bulkhead_(std::exchange(other.bulkhead_, nullptr)) {}
    Permit& operator=(Permit&&) = delete;
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    ~Permit() {
      if (bulkhead_ != nullptr) bulkhead_->release();
    }

   private:
    friend class Bulkhead;
    explicit Permit(Bulkhead* bulkhead) noexcept : bulkhead_(bulkhead) {}

    Bulkhead* bulkhead_;
  };

  explicit Bulkhead(BulkheadOptions options = {}, Clock& clock = Clock::system());
  Bulkhead(const Bulkhead&) = delete;
  Bulkhead& operator=(const Bulkhead&) = delete;

  // Calls `function` once it has a place; bulkhead_full or timeout when it gets none.
  template <ResultCallable Function>
  [[nodiscard]] CallResult<Function> call(Function&& function) {
    Result<Permit> permit = acquire();
    if (!permit) return std::unexpected(std::move(permit.error()));
    return std::invoke(function);
  }

  // A place, waiting for one if need be. For composing by hand; call() does it for you.
  [[nodiscard]] Result<Permit> acquire();

  [[nodiscard]] BulkheadCounters counters() const;
  [[nodiscard]] const BulkheadOptions& options() const noexcept { return options_; }

 private:
  struct Waiter {
    bool granted = false;
  };

  void release();

  BulkheadOptions options_;
  Clock& clock_;
  mutable std::mutex mutex_;
  // One condition for all waiters: a freed place goes to the first in the
  // queue (marked granted), and every waiter looks whether it was the one.
  std::condition_variable place_freed_;
  std::deque<Waiter*> queue_;
  std::size_t in_use_ = 0;
  std::uint64_t admitted_ = 0;
  std::uint64_t rejected_ = 0;
};

}  // namespace eventstore
