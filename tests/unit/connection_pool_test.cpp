// The pool's rules with a fake connection and a clock moved by hand: sizes,
// reuse, broken and unhealthy connections, idle and lifetime expiry, waiting
// first come first served, and how a wait ends (pool_exhausted, timeout).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "postgres/connection_pool.hpp"

namespace eventstore::detail {
namespace {

using namespace std::chrono_literals;

// Counts its own closing, as a real connection would send its goodbye.
struct FakeConnection {
  FakeConnection(int id, std::shared_ptr<std::atomic<int>> closed) : id(id), closed(std::move(closed)) {}
  FakeConnection(const FakeConnection&) = delete;
  FakeConnection& operator=(const FakeConnection&) = delete;
  ~FakeConnection() { ++*closed; }

  int id;
  std::shared_ptr<std::atomic<int>> closed;
  bool broken = false;
  bool server_closed = false;
};

// What the fake connector did, shared with the pool's callbacks.
struct FakeServer {
  std::mutex mutex;
  int opened = 0;
  int health_checks = 0;
  bool refuse_connections = false;
  std::shared_ptr<std::atomic<int>> closed = std::make_shared<std::atomic<int>>(0);
  PoolClock::time_point now{std::chrono::hours{1}};

  void advance(std::chrono::milliseconds by) {
    std::lock_guard lock{mutex};
    now += by;
  }
  int opened_count() {
    std::lock_guard lock{mutex};
    return opened;
  }
};

using Pool = ConnectionPool<FakeConnection>;

PoolConnector<FakeConnection> fake_connector(const std::shared_ptr<FakeServer>& server) {
  PoolConnector<FakeConnection> connector;
  connector.open = [server]() -> Result<std::unique_ptr<FakeConnection>> {
    std::lock_guard lock{server->mutex};
    if (server->refuse_connections) return std::unexpected(Error{ErrorCode::connection_lost, "refused"});
    return std::make_unique<FakeConnection>(++server->opened, server->closed);
  };
  connector.healthy_after_idle = [server](FakeConnection& connection) {
    std::lock_guard lock{server->mutex};
    ++server->health_checks;
    return !connection.server_closed;
  };
  connector.reusable = [](const FakeConnection& connection) { return !connection.broken; };
  connector.now = [server] {
    std::lock_guard lock{server->mutex};
    return server->now;
  };
  return connector;
}

PoolOptions options(std::size_t min_size, std::size_t max_size) {
  PoolOptions options;
  options.min_size = min_size;
  options.max_size = max_size;
  options.checkout_timeout = 5s;
  options.health_check_after_idle = 100ms;
  options.idle_timeout = 1000ms;
  options.max_lifetime = 10'000ms;
  return options;
}

std::shared_ptr<Pool> make_pool(const std::shared_ptr<FakeServer>& server, const PoolOptions& pool_options) {
  auto pool = Pool::create(pool_options, fake_connector(server));
  EXPECT_TRUE(pool) << pool.error().describe();
  return pool ? *pool : nullptr;
}

// Waits (briefly, without sleeping longer than needed) until `count` callers wait.
void wait_for_waiters(const Pool& pool, std::size_t count) {
  auto give_up = std::chrono::steady_clock::now() + 5s;
  while (pool.counts().waiting < count && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
  ASSERT_EQ(pool.counts().waiting, count);
}

TEST(ConnectionPool, OpensMinSizeUpFrontAndAlwaysOne) {
  auto server = std::make_shared<FakeServer>();
  auto pool = make_pool(server, options(3, 5));
  EXPECT_EQ(server->opened_count(), 3);
  EXPECT_EQ(pool->counts().open, 3u);
  EXPECT_EQ(pool->counts().idle, 3u);

  auto other = std::make_shared<FakeServer>();
  auto lazy = make_pool(other, options(0, 5));
  EXPECT_EQ(other->opened_count(), 1) << "one connection proves the connector works";
}

TEST(ConnectionPool, CreateFailsWhenTheFirstConnectionFails) {
  auto server = std::make_shared<FakeServer>();
  server->refuse_connections = true;
  auto pool = Pool::create(options(1, 2), fake_connector(server));
  ASSERT_FALSE(pool);
  EXPECT_EQ(pool.error().code(), ErrorCode::connection_lost);
}

TEST(ConnectionPool, AReturnedConnectionIsReused) {
  auto server = std::make_shared<FakeServer>();
  auto pool = make_pool(server, options(1, 4));
  int first_id = 0;
  {
    auto lease = pool->acquire();
    ASSERT_TRUE(lease);
    first_id = (*lease)->id;
    EXPECT_EQ(pool->counts().idle, 0u);
  }
  EXPECT_EQ(pool->counts().idle, 1u);
  auto again = pool->acquire();
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)->id, first_id);
  EXPECT_EQ(server->opened_count(), 1);
}

TEST(ConnectionPool, TheMostRecentlyReturnedIsTakenFirst) {
  auto server = std::make_shared<FakeServer>();
  auto pool = make_pool(server, options(0, 4));
  auto first = pool->acquire();
  auto second = pool->acquire();
  ASSERT_TRUE(first && second);
  int second_id = (*second)->id;
  first->reset();
  second->reset();
  auto taken = pool->acquire();
  ASSERT_TRUE(taken);
  EXPECT_EQ((*taken)->id, second_id) << "the others are left to idle out";
}

TEST(ConnectionPool, NeverMoreThanMaxSizeThenPoolExhausted) {
  auto server = std::make_shared<FakeServer>();
  PoolOptions pool_options = options(0, 2);
  pool_options.checkout_timeout = 20ms;
  auto pool = make_pool(server, pool_options);
  auto first = pool->acquire();
  auto second = pool->acquire();
  ASSERT_TRUE(first && second);
  auto started = std::chrono::steady_clock::now();
  auto third = pool->acquire();
  auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code(), ErrorCode::pool_exhausted) << third.error().describe();
  EXPECT_TRUE(third.error().retryable());
  EXPECT_GE(waited, 20ms);
  EXPECT_EQ(server->opened_count(), 2);
  EXPECT_EQ(pool->counts().waiting, 0u) << "a caller that gave up leaves the queue";
}

TEST(ConnectionPool, ADeadlineBeforeTheCheckoutTimeoutIsTimeout) {
  auto server = std::make_shared<FakeServer>();
  auto pool = make_pool(server, options(1, 1));
  auto held = pool->acquire();
  ASSERT_TRUE(held);
  auto waiting = pool->acquire(std::chrono::steady_clock::now() + 20ms);
  ASSERT_FALSE(waiting);
  EXPECT_EQ(waiting.error().code(), ErrorCode::timeout) << waiting.error().describe();
}

TEST(ConnectionPool, WaitersAreServedInTheOrderTheyArrived) {
  auto server = std::make_shared<FakeServer>();
  auto pool = make_pool(server, options(1, 1));
  auto held = pool->acquire();
  ASSERT_TRUE(held);

  std::mutex order_mutex;
  std::vector<int> served_order;
  std::vector<std::thread> waiters;
  for (int waiter = 0; waiter < 5; ++waiter) {
    waiters.emplace_back([&, waiter] {
      auto lease = pool->acquire();
      ASSERT_TRUE(lease) << lease.error().describe();
      std::lock_guard lock{order_mutex};
      served_order.push_back(waiter);
    });
    wait_for_waiters(*pool, static_cast<std::size_t>(waiter) + 1);
  }
  held->reset();
  for (auto& waiter : waiters) waiter.join();
  EXPECT_EQ(served_order, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(server->opened_count(), 1);
}

TEST(ConnectionPool, ALateCallerDoesNotOvertakeAWaiter) {
  auto server = std::make_shared<FakeServer>();
  auto pool = make_pool(server, options(1, 1));
  auto held = pool->acquire();
  ASSERT_TRUE(held);
  int held_id = (*held)->id;

  std::atomic<int> waiter_got = 0;
  std::atomic<bool> waiter_may_finish = false;
  std::thread waiter{[&] {
    auto lease = pool->acquire();
    ASSERT_TRUE(lease);
    waiter_got = (*lease)->id;
    while (!waiter_may_finish) std::this_thread::yield();
  }};
  wait_for_waiters(*pool, 1);
  held->reset();  // handed straight to the waiter
  auto late = pool->acquire(std::chrono::steady_clock::now() + 20ms);
  EXPECT_FALSE(late) << "the late caller took the connection the waiter was promised";
  waiter_may_finish = true;
  waiter.join();
  EXPECT_EQ(waiter_got, held_id);
}

TEST(ConnectionPool, ABrokenConnectionIsClosedAndAnotherOpened) {
  auto server = std::make_shared<FakeServer>();
  auto pool = make_pool(server, options(1, 2));
  {
    auto lease = pool->acquire();
    ASSERT_TRUE(lease);
    (*lease)->broken = true;
  }
  EXPECT_EQ(pool->counts().open, 0u);
  EXPECT_EQ(*server->closed, 1);
  auto next = pool->acquire();
  ASSERT_TRUE(next);
  EXPECT_EQ((*next)->id, 2);
}

TEST(ConnectionPool, ABrokenConnectionsPlaceGoesToTheWaiter) {
  auto server = std::make_shared<FakeServer>();
  auto pool = make_pool(server, options(1, 1));
  auto held = pool->acquire();
  ASSERT_TRUE(held);
  int waiter_got = 0;
  std::thread waiter{[&] {
    auto lease = pool->acquire();
    ASSERT_TRUE(lease) << lease.error().describe();
    waiter_got = (*lease)->id;
  }};
  wait_for_waiters(*pool, 1);
  (*held)->broken = true;
  held->reset();
  waiter.join();
  EXPECT_EQ(waiter_got, 2);
  EXPECT_EQ(pool->counts().open, 1u);
}

TEST(ConnectionPool, AWaiterWhoseConnectionCannotBeOpenedGetsTheErrorAndFreesThePlace) {
  auto server = std::make_shared<FakeServer>();
  auto pool = make_pool(server, options(1, 1));
  auto held = pool->acquire();
  ASSERT_TRUE(held);
  std::optional<Error> waiter_error;
  std::thread waiter{[&] {
    auto lease = pool->acquire();
    if (!lease) waiter_error = lease.error();
  }};
  wait_for_waiters(*pool, 1);
  {
    std::lock_guard lock{server->mutex};
    server->refuse_connections = true;
  }
  (*held)->broken = true;
  held->reset();
  waiter.join();
  ASSERT_TRUE(waiter_error.has_value());
  EXPECT_EQ(waiter_error->code(), ErrorCode::connection_lost);
  EXPECT_EQ(pool->counts().open, 0u);
}

TEST(ConnectionPool, AConnectionIdleLongEnoughIsCheckedAndReplacedWhenTheServerClosedIt) {
  auto server = std::make_shared<FakeServer>();
  auto pool = make_pool(server, options(1, 2));
  FakeConnection* first = nullptr;
  {
    auto lease = pool->acquire();
    ASSERT_TRUE(lease);
    first = lease->get();
  }
  first->server_closed = true;  // e.g. pg_terminate_backend while it idled
  server->advance(100ms);
  auto next = pool->acquire();
  ASSERT_TRUE(next);
  EXPECT_EQ(server->health_checks, 1);
  EXPECT_EQ((*next)->id, 2);
  EXPECT_EQ(*server->closed, 1);
  EXPECT_EQ(pool->counts().open, 1u) << "the new connection took the closed one's place";
}

TEST(ConnectionPool, AConnectionJustReturnedIsNotChecked) {
  auto server = std::make_shared<FakeServer>();
  auto pool = make_pool(server, options(1, 2));
  {
    auto lease = pool->acquire();
    ASSERT_TRUE(lease);
  }
  server->advance(99ms);
  auto next = pool->acquire();
  ASSERT_TRUE(next);
  EXPECT_EQ(server->health_checks, 0);
  EXPECT_EQ((*next)->id, 1);
}

TEST(ConnectionPool, ConnectionsBeyondMinSizeAreClosedAfterIdling) {
  auto server = std::make_shared<FakeServer>();
  auto pool = make_pool(server, options(1, 3));
  {
    auto a = pool->acquire();
    auto b = pool->acquire();
    auto c = pool->acquire();
    ASSERT_TRUE(a && b && c);
  }
  EXPECT_EQ(pool->counts().idle, 3u);
  server->advance(999ms);
  pool->close_expired();
  EXPECT_EQ(pool->counts().open, 3u);
  server->advance(1ms);
  pool->close_expired();
  EXPECT_EQ(pool->counts().open, 1u) << "min_size stays open however long it idles";
  EXPECT_EQ(*server->closed, 2);
  server->advance(10'000ms);
  pool->close_expired();
  EXPECT_EQ(pool->counts().open, 0u) << "but not past max_lifetime";
  ASSERT_TRUE(pool->open_to_minimum());
  EXPECT_EQ(pool->counts().open, 1u);
}

TEST(ConnectionPool, AConnectionPastItsLifetimeIsClosedWhenReturned) {
  auto server = std::make_shared<FakeServer>();
  auto pool = make_pool(server, options(1, 2));
  {
    auto lease = pool->acquire();
    ASSERT_TRUE(lease);
    server->advance(10'000ms);
  }
  EXPECT_EQ(pool->counts().open, 0u);
  auto next = pool->acquire();
  ASSERT_TRUE(next);
  EXPECT_EQ((*next)->id, 2);
}

TEST(ConnectionPool, ALeaseThatOutlivesItsPoolClosesItsConnection) {
  auto server = std::make_shared<FakeServer>();
  auto pool = make_pool(server, options(1, 1));
  auto lease = pool->acquire();
  ASSERT_TRUE(lease);
  std::weak_ptr<Pool> watched = pool;
  pool.reset();
  EXPECT_TRUE(watched.expired());
  EXPECT_EQ(*server->closed, 0);
  lease->reset();
  EXPECT_EQ(*server->closed, 1);
}

TEST(ConnectionPool, ManyThreadsNeverHoldMoreThanMaxSize) {
  auto server = std::make_shared<FakeServer>();
  auto pool = make_pool(server, options(1, 3));
  std::atomic<int> holding = 0;
  std::atomic<int> most_held = 0;
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 8; ++thread)
    threads.emplace_back([&] {
      for (int call = 0; call < 2000; ++call) {
        auto lease = pool->acquire();
        if (!lease) {
          ++failures;
          continue;
        }
        int now_holding = ++holding;
        int seen = most_held;
        while (now_holding > seen && !most_held.compare_exchange_weak(seen, now_holding)) {
        }
        --holding;
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_LE(most_held, 3);
  EXPECT_LE(server->opened_count(), 3);
  EXPECT_EQ(pool->counts().waiting, 0u);
}

TEST(PoolExhaustedError, IsNamedAndRetryable) {
  EXPECT_EQ(to_string(ErrorCode::pool_exhausted), "pool_exhausted");
  EXPECT_TRUE(is_retryable(ErrorCode::pool_exhausted));
}

}  // namespace
}  // namespace eventstore::detail
