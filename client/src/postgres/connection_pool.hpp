// A thread-safe pool of connections. It is generic in the connection type so
// that its rules are tested with a fake one:
//
// - at most max_size connections are open; min_size are opened up front and
//   not closed for idling;
// - a caller takes a connection for as long as it holds the Lease, which
//   returns it through its deleter (or closes it when it comes back broken);
// - when all are in use, callers wait first come, first served: a returned
//   connection, or the place of a closed one, goes to the longest waiter,
//   never to a caller that arrives later; a wait ends with pool_exhausted
//   after checkout_timeout, or with timeout at the caller's deadline;
// - a connection that idled at least health_check_after_idle is checked
//   before it is handed out; one past max_lifetime, or idle beyond
//   idle_timeout while more than min_size are open, is closed.
//
// The connector's clock decides idling and lifetime (tests move it by hand);
// waiting for a connection always uses the real steady clock, as deadlines do.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "eventstore/postgres/client_options.hpp"
#include "eventstore/store/deadline.hpp"
#include "eventstore/store/result.hpp"

namespace eventstore::detail {

using PoolClock = std::chrono::steady_clock;

template <class Connection>
struct PoolConnector {
  // Opens a new connection.
  std::function<Result<std::unique_ptr<Connection>>()> open;
  // Whether a connection that has idled may still be used. Must be cheap:
  // it runs on the caller's path to a connection.
  std::function<bool(Connection&)> healthy_after_idle = [](Connection&) { return true; };
  // Whether a connection given back may be used again (it is not broken and
  // carries nothing of its last user).
  std::function<bool(const Connection&)> reusable = [](const Connection&) { return true; };
  std::function<PoolClock::time_point()> now = [] { return PoolClock::now(); };
};

struct PoolCounts {
  std::size_t open = 0;  // in use or idle
  std::size_t idle = 0;
  std::size_t waiting = 0;
};

template <class Connection>
class ConnectionPool : public std::enable_shared_from_this<ConnectionPool<Connection>> {
 public:
  // Gives a leased connection back to its pool, or closes it when the pool is gone.
  class ReturnToPool {
   public:
    ReturnToPool() = default;
    ReturnToPool(std::weak_ptr<ConnectionPool> pool, PoolClock::time_point opened_at)
        : pool_(std::move(pool)), opened_at_(opened_at) {}
    void operator()(Connection* connection) const noexcept {
      std::unique_ptr<Connection> owned{connection};
      if (auto pool = pool_.lock()) pool->give_back(std::move(owned), opened_at_);
    }

   private:
    std::weak_ptr<ConnectionPool> pool_;
    PoolClock::time_point opened_at_{};
  };

  // One connection for the holder alone until it is destroyed.
  using Lease = std::unique_ptr<Connection, ReturnToPool>;

  // Opens min_size connections, at least one, so that a connector that
  // cannot connect fails here.
  [[nodiscard]] static Result<std::shared_ptr<ConnectionPool>> create(const PoolOptions& options,
                                                                      PoolConnector<Connection> connector) {
    std::shared_ptr<ConnectionPool> pool{new ConnectionPool(options, std::move(connector))};
    auto first = pool->connector_.open();
    if (!first) return std::unexpected(std::move(first.error()));
    pool->open_ = 1;
    pool->idle_.push_back({std::move(*first), pool->connector_.now(), pool->connector_.now()});
    if (auto filled = pool->open_to_minimum(); !filled) return std::unexpected(std::move(filled.error()));
    return pool;
  }

  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  ~ConnectionPool() = default;

  // A connection, waiting for one when max_size are in use: pool_exhausted
  // after checkout_timeout, timeout when `deadline` comes first. A failed
  // connection attempt is returned as it is (connection_lost).
  [[nodiscard]] Result<Lease> acquire(std::optional<Deadline> deadline = std::nullopt) {
    std::vector<std::unique_ptr<Connection>> closing;  // closed after the lock is released
    std::unique_lock lock{mutex_};
    PoolClock::time_point now = connector_.now();
    close_expired(now, closing);
    if (waiters_.empty() && !idle_.empty()) {
      Idle taken = std::move(idle_.back());
      idle_.pop_back();
      lock.unlock();
      if (now - taken.idle_since < options_.health_check_after_idle || connector_.healthy_after_idle(*taken.connection))
        return lease(std::move(taken.connection), taken.opened_at);
      taken.connection.reset();  // the server closed it: a new one takes its place
      return open_in_taken_place();
    }
    if (waiters_.empty() && open_ < options_.max_size) {
      ++open_;
      lock.unlock();
      return open_in_taken_place();
    }
    return wait_for_connection(lock, deadline);
  }

  // Closes idle connections past max_lifetime, and those idle for
  // idle_timeout while more than min_size are open.
  void close_expired() {
    std::vector<std::unique_ptr<Connection>> closing;
    std::lock_guard lock{mutex_};
    close_expired(connector_.now(), closing);
  }

  // Opens connections until min_size are open (the first failure stops it).
  [[nodiscard]] Result<void> open_to_minimum() {
    for (;;) {
      {
        std::lock_guard lock{mutex_};
        if (open_ >= options_.min_size) return {};
        ++open_;
      }
      auto opened = connector_.open();
      std::lock_guard lock{mutex_};
      if (!opened) {
        free_place();
        return std::unexpected(std::move(opened.error()));
      }
      make_available(std::move(*opened), connector_.now());
    }
  }

  [[nodiscard]] PoolCounts counts() const {
    std::lock_guard lock{mutex_};
    return {open_, idle_.size(), waiters_.size()};
  }

  [[nodiscard]] const PoolOptions& options() const noexcept { return options_; }

 private:
  struct Idle {
    std::unique_ptr<Connection> connection;
    PoolClock::time_point opened_at;
    PoolClock::time_point idle_since;
  };

  // A caller waiting for its turn, on its own stack. Whoever serves it pops
  // it from the queue, then hands over a connection or a place to open one.
  struct Waiter {
    std::condition_variable served;
    std::unique_ptr<Connection> handed_over;
    PoolClock::time_point opened_at{};
    bool may_open = false;
  };

  ConnectionPool(const PoolOptions& options, PoolConnector<Connection> connector)
      : options_(options), connector_(std::move(connector)) {}

  [[nodiscard]] Lease lease(std::unique_ptr<Connection> connection, PoolClock::time_point opened_at) {
    return Lease{connection.release(), ReturnToPool{this->weak_from_this(), opened_at}};
  }

  // The caller holds one of the max_size places (counted in open_) and fills it.
  [[nodiscard]] Result<Lease> open_in_taken_place() {
    auto opened = connector_.open();
    if (!opened) {
      std::lock_guard lock{mutex_};
      free_place();
      return std::unexpected(std::move(opened.error()));
    }
    return lease(std::move(*opened), connector_.now());
  }

  [[nodiscard]] Result<Lease> wait_for_connection(std::unique_lock<std::mutex>& lock,
                                                  std::optional<Deadline> deadline) {
    Waiter waiter;
    waiters_.push_back(&waiter);
    Deadline exhausted_at = PoolClock::now() + options_.checkout_timeout;
    Deadline until = deadline ? std::min(*deadline, exhausted_at) : exhausted_at;
    bool served = waiter.served.wait_until(lock, until, [&] { return waiter.handed_over || waiter.may_open; });
    if (!served) {
      std::erase(waiters_, &waiter);
      if (deadline && *deadline <= exhausted_at)
        return std::unexpected(Error{ErrorCode::timeout, "the deadline passed while waiting for a pooled connection"});
      return std::unexpected(Error{ErrorCode::pool_exhausted, "no pooled connection became free within " +
                                                                  std::to_string(options_.checkout_timeout.count()) +
                                                                  " ms (all " + std::to_string(options_.max_size) +
                                                                  " in use)"});
    }
    if (waiter.handed_over) return lease(std::move(waiter.handed_over), waiter.opened_at);
    lock.unlock();
    return open_in_taken_place();
  }

  void give_back(std::unique_ptr<Connection> connection, PoolClock::time_point opened_at) {
    bool reusable = connector_.reusable(*connection);
    std::unique_lock lock{mutex_};
    PoolClock::time_point now = connector_.now();
    if (!reusable || now - opened_at >= options_.max_lifetime) {
      free_place();
      lock.unlock();
      return;  // `connection` closes here, outside the lock
    }
    make_available(std::move(connection), opened_at, now);
  }

  // To the longest waiter, or idle when nobody waits. Under the lock.
  void make_available(std::unique_ptr<Connection> connection, PoolClock::time_point opened_at,
                      std::optional<PoolClock::time_point> idle_since = std::nullopt) {
    if (!waiters_.empty()) {
      Waiter* first = waiters_.front();
      waiters_.pop_front();
      first->handed_over = std::move(connection);
      first->opened_at = opened_at;
      first->served.notify_one();
      return;
    }
    idle_.push_back({std::move(connection), opened_at, idle_since.value_or(opened_at)});
  }

  // A connection was closed or never opened: its place goes to the longest
  // waiter, who opens a new one. Under the lock.
  void free_place() {
    if (!waiters_.empty()) {
      Waiter* first = waiters_.front();
      waiters_.pop_front();
      first->may_open = true;
      first->served.notify_one();
      return;
    }
    --open_;
  }

  // Under the lock; the closed connections go to `closing`.
  void close_expired(PoolClock::time_point now, std::vector<std::unique_ptr<Connection>>& closing) {
    for (auto entry = idle_.begin(); entry != idle_.end();) {
      bool too_old = now - entry->opened_at >= options_.max_lifetime;
      bool idled_out = now - entry->idle_since >= options_.idle_timeout && open_ > options_.min_size;
      if (!too_old && !idled_out) {
        ++entry;
        continue;
      }
      closing.push_back(std::move(entry->connection));
      entry = idle_.erase(entry);
      free_place();
    }
  }

  const PoolOptions options_;
  const PoolConnector<Connection> connector_;
  mutable std::mutex mutex_;
  std::size_t open_ = 0;
  std::deque<Idle> idle_;  // the most recently returned last: it is taken first
  std::deque<Waiter*> waiters_;
};

}  // namespace eventstore::detail
