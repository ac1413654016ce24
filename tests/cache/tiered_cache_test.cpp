// The tiered cache without Redis: the position rule, single-flight, loader
// errors, invalidation, statistics, and level-2 fallback with a fake level 2
// and a manual clock.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "eventstore/cache/tiered_cache.hpp"
#include "fake_level.hpp"
#include "step_clock.hpp"

namespace {

using eventstore::Error;
using eventstore::ErrorCode;
using eventstore::GlobalPosition;
using eventstore::LogPosition;
using eventstore::Result;
using eventstore::cache::CachedValue;
using eventstore::cache::CacheEntry;
using eventstore::cache::Level2State;
using eventstore::cache::TieredCache;
using eventstore::cache::TieredCacheOptions;
using eventstore::cache::test::FakeLevel;
using namespace std::chrono_literals;

LogPosition at(std::int64_t position) {
  return LogPosition{static_cast<std::uint64_t>(position), GlobalPosition{position}};
}

CachedValue value(std::string bytes, std::int64_t position) { return CachedValue{std::move(bytes), at(position)}; }

// Waits (really) until `condition` holds or five seconds passed.
template <class Condition>
bool eventually(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(TieredCachePositionRule, AnEntryOlderThanTheCallersPositionIsAMiss) {
  TieredCache cache;
  ASSERT_TRUE(cache.put("k", value("v5", 5)));
  EXPECT_EQ(cache.get("k", at(4)).value()->bytes, "v5");
  EXPECT_EQ(cache.get("k", at(5)).value()->bytes, "v5");
  EXPECT_FALSE(cache.get("k", at(6)).value().has_value());

  int loads = 0;
  auto loaded = cache.get_or_load("k", at(6), [&]() -> Result<CachedValue> {
    ++loads;
    return value("v6", 6);
  });
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->bytes, "v6");
  EXPECT_EQ(loads, 1);
  // The reload replaced the older entry.
  EXPECT_EQ(cache.get("k", at(6)).value()->bytes, "v6");
  EXPECT_EQ(cache.statistics().stale_entries, 2u);
}

// A small "store": appends give positions; the loader reads the latest.
class Store {
 public:
  LogPosition append(const std::string& key) {
    std::lock_guard lock(mutex_);
    const auto position = at(++last_);
    rows_[key] = value(std::to_string(last_), last_);
    return position;
  }
  Result<CachedValue> load(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto found = rows_.find(key);
    if (found == rows_.end()) return value("none", 0);
    return found->second;
  }

 private:
  std::mutex mutex_;
  std::int64_t last_ = 0;
  std::map<std::string, CachedValue> rows_;
};

// Writers append and read their own write with its token, while readers and
// a lagging subscription (invalidate_before) run: no read is older than its token.
int stale_reads_of_own_writes(bool pass_token) {
  TieredCache cache;
  Store store;
  std::atomic<int> stale{0};
  std::atomic<bool> done{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t));
      for (int i = 0; i < 2'000; ++i) {
        const auto key = "k" + std::to_string(random() % 20);
        const auto token = store.append(key);
        const auto read = cache.get_or_load(key, pass_token ? token : LogPosition{}, [&] { return store.load(key); });
        if (!read || read->position < token) ++stale;
        // The subscription sees the event a little later, sometimes.
        if (pass_token && i % 3 == 0) (void)cache.invalidate_before(key, token);
      }
    });
  }
  threads.emplace_back([&] {
    std::mt19937 random(99);
    while (!done) {
      const auto key = "k" + std::to_string(random() % 20);
      (void)cache.get_or_load(key, {}, [&] { return store.load(key); });
    }
  });
  for (int t = 0; t < 4; ++t) threads[static_cast<std::size_t>(t)].join();
  done = true;
  threads.back().join();
  return stale.load();
}

TEST(TieredCachePositionRule, NeverAnswersOlderThanTheReadYourWritesToken) {
  EXPECT_EQ(stale_reads_of_own_writes(true), 0);
}

TEST(TieredCachePositionRule, NegativeControlWithoutTheTokenReadsAreStale) {
  // The same run without passing the token: the cache serves what it holds.
  EXPECT_GT(stale_reads_of_own_writes(false), 0);
}

// `threads` callers miss `keys` (thread i asks key i % keys) at once; the
// loader holds every load until all other callers are waiting or loading.
int loader_calls_for_concurrent_misses(int threads, int keys) {
  TieredCache cache;
  std::atomic<int> calls{0};
  std::atomic<int> arrived{0};
  std::vector<std::thread> callers;
  std::vector<std::string> results(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    callers.emplace_back([&, i] {
      const auto key = "k" + std::to_string(i % keys);
      auto result = cache.get_or_load(key, {}, [&]() -> Result<CachedValue> {
        ++calls;
        eventually([&] {
          return cache.statistics().coalesced_waits + static_cast<std::uint64_t>(calls.load()) >=
                 static_cast<std::uint64_t>(threads);
        });
        return value("loaded", 1);
      });
      ++arrived;
      results[static_cast<std::size_t>(i)] = result ? result->bytes : "error";
    });
  }
  for (auto& caller : callers) caller.join();
  for (const auto& result : results) EXPECT_EQ(result, "loaded");
  return calls.load();
}

TEST(TieredCacheSingleFlight, ConcurrentMissesOfOneKeyCallTheLoaderOnce) {
  EXPECT_EQ(loader_calls_for_concurrent_misses(16, 1), 1);
}

TEST(TieredCacheSingleFlight, ControlMissesOfDifferentKeysEachLoad) {
  EXPECT_EQ(loader_calls_for_concurrent_misses(16, 16), 16);
}

TEST(TieredCacheSingleFlight, ALoaderErrorGoesToEveryWaiterAndIsNotCached) {
  TieredCache cache;
  constexpr int threads = 8;
  std::atomic<int> calls{0};
  std::vector<std::thread> callers;
  std::atomic<int> errors{0};
  for (int i = 0; i < threads; ++i) {
    callers.emplace_back([&] {
      auto result = cache.get_or_load("k", {}, [&]() -> Result<CachedValue> {
        ++calls;
        eventually([&] { return cache.statistics().coalesced_waits >= threads - 1; });
        return std::unexpected(Error(ErrorCode::timeout, "the store is slow"));
      });
      if (!result && result.error().code() == ErrorCode::timeout) ++errors;
    });
  }
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(errors.load(), threads);
  EXPECT_FALSE(cache.get("k").value().has_value());
  // The next caller loads again.
  auto again = cache.get_or_load("k", {}, [&]() -> Result<CachedValue> {
    ++calls;
    return value("fine", 1);
  });
  ASSERT_TRUE(again);
  EXPECT_EQ(calls.load(), 2);
  EXPECT_EQ(cache.statistics().load_errors, 1u);
}

TEST(TieredCacheSingleFlight, ALoaderThatThrowsReleasesTheWaiters) {
  TieredCache cache;
  std::atomic<bool> waiter_done{false};
  std::thread waiter;
  EXPECT_THROW((void)cache.get_or_load("k", {},
                                       [&]() -> Result<CachedValue> {
                                         waiter = std::thread([&] {
                                           auto result = cache.get_or_load("k", {}, [] { return value("w", 1); });
                                           // Either it waited for the throwing flight (an error) or came after it.
                                           waiter_done = true;
                                           (void)result;
                                         });
                                         eventually([&] { return cache.statistics().coalesced_waits >= 1; });
                                         throw std::runtime_error("loader bug");
                                       }),
               std::runtime_error);
  waiter.join();
  EXPECT_TRUE(waiter_done);
}

TEST(TieredCacheInvalidation, AnInvalidationDuringALoadKeepsItsResultOutOfTheCache) {
  TieredCache cache;
  std::atomic<bool> loading{false};
  std::atomic<bool> invalidated{false};
  std::thread loader_thread([&] {
    auto result = cache.get_or_load("k", {}, [&]() -> Result<CachedValue> {
      loading = true;
      eventually([&] { return invalidated.load(); });
      return value("read before the change", 1);
    });
    // The caller still gets what it asked for...
    EXPECT_TRUE(result.has_value());
  });
  ASSERT_TRUE(eventually([&] { return loading.load(); }));
  ASSERT_TRUE(cache.invalidate("k"));
  invalidated = true;
  loader_thread.join();
  // ...but the cache does not keep it.
  EXPECT_FALSE(cache.get("k").value().has_value());
}

TEST(TieredCacheInvalidation, InvalidateBeforeDropsOnlyOlderValues) {
  TieredCache cache;
  ASSERT_TRUE(cache.put("k", value("v5", 5)));
  ASSERT_TRUE(cache.invalidate_before("k", at(5)));
  EXPECT_TRUE(cache.get("k").value().has_value());
  ASSERT_TRUE(cache.invalidate_before("k", at(6)));
  EXPECT_FALSE(cache.get("k").value().has_value());

  ASSERT_TRUE(cache.put("a", value("a", 1)));
  ASSERT_TRUE(cache.put("b", value("b", 1)));
  ASSERT_TRUE(cache.put("c", value("c", 1)));
  const std::vector<std::string> keys{"a", "b"};
  ASSERT_TRUE(cache.invalidate_many(keys));
  EXPECT_FALSE(cache.get("a").value().has_value());
  EXPECT_FALSE(cache.get("b").value().has_value());
  EXPECT_TRUE(cache.get("c").value().has_value());
  EXPECT_EQ(cache.statistics().invalidations, 4u);
}

TEST(TieredCacheStatistics, CountEachOutcome) {
  eventstore::cache::test::StepClock clock;
  TieredCacheOptions options;
  // Room for two entries of 1 + 1 + 100 bytes.
  options.level1 = {.capacity_bytes = 220, .shard_count = 1, .entry_overhead_bytes = 100};
  options.time_to_live = 10s;
  auto level2 = std::make_unique<FakeLevel>();
  auto& fake = *level2;
  TieredCache cache(options, std::move(level2), clock);
  auto loader = [] { return value("v", 1); };

  ASSERT_TRUE(cache.get_or_load("a", {}, loader));  // miss, load
  ASSERT_TRUE(cache.get_or_load("a", {}, loader));  // level-1 hit
  fake.store("b", CacheEntry{value("b", 1), 0ms});
  ASSERT_TRUE(cache.get_or_load("b", {}, loader));  // level-2 hit
  ASSERT_TRUE(cache.get_or_load("c", {}, loader));  // miss, load; evicts a (2 entries fit)
  clock.advance(11s);
  ASSERT_TRUE(cache.get_or_load("c", {}, loader));  // expired in level 1; level 2 (the fake keeps it)
  fake.failing = true;
  ASSERT_TRUE(cache.get_or_load("d", {}, loader));  // level-2 error, fallback, miss, load; evicts b

  const auto statistics = cache.statistics();
  EXPECT_EQ(statistics.level1_hits, 1u);
  EXPECT_EQ(statistics.level2_hits, 2u);
  EXPECT_EQ(statistics.misses, 3u);
  EXPECT_EQ(statistics.loads, 3u);
  EXPECT_EQ(statistics.load_errors, 0u);
  EXPECT_EQ(statistics.evictions, 2u);
  EXPECT_EQ(statistics.expirations, 1u);
  EXPECT_EQ(statistics.level2_errors, 1u);
  EXPECT_EQ(statistics.fallbacks, 1u);
  EXPECT_EQ(statistics.level1_entries, 2u);
}

TEST(TieredCacheLevel2, AValueOnlyInLevel2IsPromotedForNoLongerThanItHasLeft) {
  eventstore::cache::test::StepClock clock;
  auto level2 = std::make_unique<FakeLevel>();
  auto& fake = *level2;
  TieredCache cache({}, std::move(level2), clock);
  fake.store("k", CacheEntry{value("from level 2", 3), 2s});

  EXPECT_EQ(cache.get("k", at(3)).value()->bytes, "from level 2");
  EXPECT_EQ(cache.statistics().level2_hits, 1u);
  const auto calls = fake.calls.load();
  EXPECT_EQ(cache.get("k", at(3)).value()->bytes, "from level 2");
  EXPECT_EQ(fake.calls.load(), calls);  // served by level 1
  EXPECT_EQ(cache.statistics().level1_hits, 1u);
  clock.advance(2s);
  EXPECT_FALSE(cache.level1().get("k").value().has_value());
}

TEST(TieredCacheLevel2, InvalidationsReachLevel2) {
  auto level2 = std::make_unique<FakeLevel>();
  auto& fake = *level2;
  TieredCache cache({}, std::move(level2));
  for (const auto* key : {"a", "b", "c", "d"}) ASSERT_TRUE(cache.put(key, value("v", 5)));
  ASSERT_TRUE(cache.invalidate("a"));
  ASSERT_TRUE(cache.invalidate_before("b", at(6)));
  ASSERT_TRUE(cache.invalidate_before("c", at(5)));
  const std::vector<std::string> keys{"d"};
  ASSERT_TRUE(cache.invalidate_many(keys));
  EXPECT_FALSE(fake.holds("a"));
  EXPECT_FALSE(fake.holds("b"));
  EXPECT_TRUE(fake.holds("c"));
  EXPECT_FALSE(fake.holds("d"));
}

TEST(TieredCacheLevel2, AFailureFallsBackToLevel1AndLevel2IsRetriedAfterTheInterval) {
  eventstore::cache::test::StepClock clock;
  TieredCacheOptions options;
  options.level2_retry_interval = 1s;
  auto level2 = std::make_unique<FakeLevel>();
  auto& fake = *level2;
  TieredCache cache(options, std::move(level2), clock);
  EXPECT_EQ(cache.status().level2, Level2State::connected);

  fake.failing = true;
  auto first = cache.get_or_load("a", {}, [] { return value("a", 1); });
  ASSERT_TRUE(first);  // no request fails because of level 2
  auto status = cache.status();
  EXPECT_EQ(status.level2, Level2State::unavailable);
  EXPECT_EQ(status.level2_unavailable_since, clock.now());
  EXPECT_EQ(status.level2_next_retry, clock.now() + 1s);
  EXPECT_NE(status.level2_last_error.find("down"), std::string::npos);

  // Within the interval level 2 is left alone.
  const auto calls = fake.calls.load();
  ASSERT_TRUE(cache.get_or_load("b", {}, [] { return value("b", 1); }));
  ASSERT_TRUE(cache.invalidate("a"));
  EXPECT_EQ(fake.calls.load(), calls);
  EXPECT_EQ(cache.status().pending_level2_invalidations, 1u);

  // After it, one request tries level 2 again; it still fails: another interval.
  clock.advance(1s);
  ASSERT_TRUE(cache.get_or_load("c", {}, [] { return value("c", 1); }));
  EXPECT_EQ(fake.calls.load(), calls + 1);
  EXPECT_EQ(cache.status().level2, Level2State::unavailable);

  // Back: the probe succeeds, the pending invalidation is sent.
  fake.store("a", CacheEntry{value("stale in level 2", 1), 0ms});
  fake.failing = false;
  clock.advance(1s);
  ASSERT_TRUE(cache.get_or_load("d", {}, [] { return value("d", 1); }));
  EXPECT_EQ(cache.status().level2, Level2State::connected);
  EXPECT_EQ(cache.status().pending_level2_invalidations, 0u);
  EXPECT_FALSE(fake.holds("a"));
  EXPECT_TRUE(fake.holds("d"));
  const auto statistics = cache.statistics();
  EXPECT_EQ(statistics.level2_errors, 2u);
  EXPECT_EQ(statistics.fallbacks, 4u);  // a, b, the invalidation, c
}

TEST(TieredCacheLevel2, NegativeControlWithoutFallbackALevel2FailureFailsTheRequest) {
  TieredCacheOptions options;
  options.fall_back_when_level2_fails = false;
  auto level2 = std::make_unique<FakeLevel>();
  level2->failing = true;
  TieredCache cache(options, std::move(level2));
  auto result = cache.get_or_load("a", {}, [] { return value("a", 1); });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::connection_lost);
}

}  // namespace
