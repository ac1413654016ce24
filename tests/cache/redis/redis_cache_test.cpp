// Level 2 against a real redis-server (tests/harness/redis.sh): the round
// trip, promotion, invalidation, a Redis that does not answer, and a Redis
// killed while requests run, with its negative control.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "eventstore/cache.hpp"
#include "test_redis.hpp"

namespace {

using eventstore::GlobalPosition;
using eventstore::LogPosition;
using eventstore::Result;
using eventstore::cache::CachedValue;
using eventstore::cache::Level2State;
using eventstore::cache::RedisCache;
using eventstore::cache::RedisCacheOptions;
using eventstore::cache::TieredCache;
using eventstore::cache::TieredCacheOptions;
using eventstore::cache::test::redis_script;
using eventstore::cache::test::test_redis_options;
using eventstore::cache::test::unique_prefix;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

LogPosition at(std::int64_t position) {
  return LogPosition{static_cast<std::uint64_t>(position), GlobalPosition{position}};
}

CachedValue value(std::string bytes, std::int64_t position) { return CachedValue{std::move(bytes), at(position)}; }

class RedisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_ = test_redis_options(unique_prefix(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    ASSERT_NE(options_.port, 0) << "no Redis: run tests/harness/redis.sh start (run-tests.sh cache does)";
    ASSERT_TRUE(RedisCache(options_).ping()) << "Redis does not answer on port " << options_.port;
  }
  // A test that killed Redis leaves it running for the next.
  void TearDown() override { redis_script("start"); }

  std::unique_ptr<RedisCache> level2() const { return std::make_unique<RedisCache>(options_); }

  RedisCacheOptions options_;
};

TEST_F(RedisTest, RoundTripsAValueWithItsPosition) {
  RedisCache redis(options_);
  const CachedValue stored{std::string("binary\0bytes", 12), at(42)};
  ASSERT_TRUE(redis.put("k", stored, 10s));
  auto found = redis.get("k");
  ASSERT_TRUE(found) << found.error().describe();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->value, stored);
  EXPECT_GT((*found)->time_to_live, 9s);
  EXPECT_LE((*found)->time_to_live, 10s);
  EXPECT_FALSE(redis.get("absent").value().has_value());
}

TEST_F(RedisTest, KeepsTheNewerValueAndErasesOnlyOlderOnes) {
  RedisCache redis(options_);
  ASSERT_TRUE(redis.put("k", value("seven", 7), 10s));
  ASSERT_TRUE(redis.put("k", value("five", 5), 10s));
  EXPECT_EQ(redis.get("k").value()->value.bytes, "seven");
  ASSERT_TRUE(redis.erase_older_than("k", at(7)));
  EXPECT_TRUE(redis.get("k").value().has_value());
  ASSERT_TRUE(redis.erase_older_than("k", at(8)));
  EXPECT_FALSE(redis.get("k").value().has_value());

  ASSERT_TRUE(redis.put("a", value("a", 1), 10s));
  ASSERT_TRUE(redis.put("b", value("b", 1), 10s));
  const std::vector<std::string> keys{"a", "b"};
  ASSERT_TRUE(redis.erase_many(keys));
  EXPECT_FALSE(redis.get("a").value().has_value());
  EXPECT_FALSE(redis.get("b").value().has_value());
}

TEST_F(RedisTest, AValueOnlyInLevel2IsPromotedToLevel1) {
  TieredCache writer({}, level2());
  ASSERT_TRUE(writer.put("k", value("shared", 3)));
  // Another process: its level 1 is empty, level 2 has the value.
  TieredCache reader({}, level2());
  int loads = 0;
  auto loader = [&]() -> Result<CachedValue> {
    ++loads;
    return value("loaded", 3);
  };
  EXPECT_EQ(reader.get_or_load("k", at(3), loader)->bytes, "shared");
  EXPECT_EQ(reader.statistics().level2_hits, 1u);
  EXPECT_EQ(reader.get_or_load("k", at(3), loader)->bytes, "shared");
  EXPECT_EQ(reader.statistics().level1_hits, 1u);
  EXPECT_EQ(loads, 0);
  // A newer token than level 2 holds: a miss, loaded.
  EXPECT_EQ(reader.get_or_load("k", at(4), [] { return value("newer", 4); })->bytes, "newer");
  EXPECT_EQ(RedisCache(options_).get("k").value()->value.bytes, "newer");
}

TEST_F(RedisTest, InvalidationsReachRedis) {
  TieredCache cache({}, level2());
  for (const auto* key : {"a", "b", "c", "d"}) ASSERT_TRUE(cache.put(key, value("v", 5)));
  ASSERT_TRUE(cache.invalidate("a"));
  ASSERT_TRUE(cache.invalidate_before("b", at(6)));
  ASSERT_TRUE(cache.invalidate_before("c", at(5)));
  const std::vector<std::string> keys{"d"};
  ASSERT_TRUE(cache.invalidate_many(keys));
  RedisCache redis(options_);
  EXPECT_FALSE(redis.get("a").value().has_value());
  EXPECT_FALSE(redis.get("b").value().has_value());
  EXPECT_TRUE(redis.get("c").value().has_value());
  EXPECT_FALSE(redis.get("d").value().has_value());
  // Another process that never saw them loads them again.
  TieredCache other({}, level2());
  EXPECT_FALSE(other.get("a").value().has_value());
}

// A listening socket that never accepts: connections complete, replies never come.
class SilentServer {
 public:
  SilentServer() {
    socket_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(socket_, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(socket_, 64) != 0 ||
        ::getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      std::perror("silent server");
    }
    port_ = ntohs(address.sin_port);
  }
  ~SilentServer() { ::close(socket_); }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;
  [[nodiscard]] int port() const { return port_; }

 private:
  int socket_ = -1;
  int port_ = 0;
};

TEST(RedisSlow, ACallFailsWithinTheCommandTimeout) {
  SilentServer silent;
  RedisCacheOptions options;
  options.port = silent.port();
  options.command_timeout = 50ms;
  RedisCache redis(options);
  const auto start = Clock::now();
  auto found = redis.get("k");
  const auto took = Clock::now() - start;
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code(), eventstore::ErrorCode::timeout) << found.error().describe();
  EXPECT_GE(took, 40ms);
  EXPECT_LT(took, 500ms);
}

TEST(RedisSlow, TheTieredCacheFallsBackAndNoRequestFails) {
  SilentServer silent;
  RedisCacheOptions options;
  options.port = silent.port();
  options.command_timeout = 50ms;
  TieredCacheOptions tiered;
  tiered.level2_retry_interval = 100ms;
  TieredCache cache(tiered, std::make_unique<RedisCache>(options));
  std::atomic<int> failures{0};
  std::atomic<long long> slowest_us{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const auto key = "k" + std::to_string((t * 50 + i) % 64);
        const auto start = Clock::now();
        auto result = cache.get_or_load(key, {}, [&] { return value(key, 1); });
        const auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
        if (!result) ++failures;
        long long seen = slowest_us.load();
        while (took > seen && !slowest_us.compare_exchange_weak(seen, took)) {
        }
        std::this_thread::sleep_for(2ms);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LT(slowest_us.load(), 1'000'000) << "a request waited more than a second for Redis";
  EXPECT_EQ(cache.status().level2, Level2State::unavailable);
  EXPECT_GT(cache.statistics().fallbacks, 0u);
  RecordProperty("slowest_request_us", std::to_string(slowest_us.load()));
}

struct OutageRun {
  int requests = 0;
  int failures = 0;
  long long slowest_during_outage_us = 0;
  bool seen_unavailable = false;
  bool connected_again = false;
  std::string last_error;
  std::uint64_t level2_errors = 0;
  std::uint64_t fallbacks = 0;
  bool written_after_recovery = false;
};

// Six threads call get_or_load on 2,000 keys (level 1 holds a tenth of them,
// so level 2 is in use) while Redis is killed, left dead for a second, and started again.
OutageRun run_with_redis_killed(const RedisCacheOptions& redis_options, bool fall_back) {
  TieredCacheOptions options;
  options.level1 = {.capacity_bytes = 200 * (8 + 64 + 96), .shard_count = 4};
  options.level2_retry_interval = 200ms;
  options.fall_back_when_level2_fails = fall_back;
  TieredCache cache(options, std::make_unique<RedisCache>(redis_options));
  std::atomic<bool> outage{false};
  std::atomic<bool> stop{false};
  std::atomic<int> requests{0};
  std::atomic<int> failures{0};
  std::atomic<long long> slowest_us{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t));
      while (!stop) {
        const auto key = "key-" + std::to_string(random() % 2'000);
        const auto start = Clock::now();
        auto result = cache.get_or_load(key, {}, [&] { return value(std::string(64, 'v'), 1); });
        const auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
        ++requests;
        if (!result) ++failures;
        if (outage) {
          long long seen = slowest_us.load();
          while (took > seen && !slowest_us.compare_exchange_weak(seen, took)) {
          }
        }
      }
    });
  }
  OutageRun run;
  std::this_thread::sleep_for(300ms);
  outage = true;
  EXPECT_TRUE(redis_script("kill"));
  std::this_thread::sleep_for(1s);
  auto status = cache.status();
  run.seen_unavailable = status.level2 == Level2State::unavailable;
  run.last_error = status.level2_last_error;
  EXPECT_TRUE(redis_script("start"));
  outage = false;
  // Level 2 comes back within a few retry intervals.
  const auto deadline = Clock::now() + 5s;
  while (Clock::now() < deadline && cache.status().level2 != Level2State::connected) std::this_thread::sleep_for(20ms);
  run.connected_again = cache.status().level2 == Level2State::connected;
  stop = true;
  for (auto& thread : threads) thread.join();
  if (run.connected_again) {
    (void)cache.get_or_load("after-recovery", {}, [] { return value("back", 2); });
    auto found = RedisCache(redis_options).get("after-recovery");
    run.written_after_recovery = found && found->has_value() && (*found)->value.bytes == "back";
  }
  const auto statistics = cache.statistics();
  run.requests = requests;
  run.failures = failures;
  run.slowest_during_outage_us = slowest_us;
  run.level2_errors = statistics.level2_errors;
  run.fallbacks = statistics.fallbacks;
  return run;
}

TEST_F(RedisTest, RedisKilledMidRunFailsNoRequestAndComesBack) {
  const auto run = run_with_redis_killed(options_, true);
  RecordProperty("requests", run.requests);
  RecordProperty("slowest_during_outage_us", std::to_string(run.slowest_during_outage_us));
  std::printf("requests %d, failures %d, slowest during the outage %lld us, level-2 errors %llu, fallbacks %llu\n",
              run.requests, run.failures, run.slowest_during_outage_us,
              static_cast<unsigned long long>(run.level2_errors), static_cast<unsigned long long>(run.fallbacks));
  EXPECT_GT(run.requests, 1'000);
  EXPECT_EQ(run.failures, 0);
  EXPECT_LT(run.slowest_during_outage_us, 1'000'000) << "falling back took longer than a second";
  EXPECT_TRUE(run.seen_unavailable);
  EXPECT_FALSE(run.last_error.empty());
  EXPECT_GT(run.level2_errors, 0u);
  EXPECT_GT(run.fallbacks, 0u);
  EXPECT_TRUE(run.connected_again) << "level 2 did not come back after Redis was started again";
  EXPECT_TRUE(run.written_after_recovery);
}

TEST_F(RedisTest, NegativeControlWithoutFallbackRedisKilledFailsRequests) {
  const auto run = run_with_redis_killed(options_, false);
  std::printf("without fallback: requests %d, failures %d\n", run.requests, run.failures);
  EXPECT_GT(run.failures, 0);
}

}  // namespace
