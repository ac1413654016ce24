// Level 1: the byte bound, LRU order, time to live, shards, and the rule
// that an older value never replaces a newer one.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "eventstore/cache/memory_cache.hpp"
#include "step_clock.hpp"

namespace {

using eventstore::GlobalPosition;
using eventstore::LogPosition;
using eventstore::cache::CachedValue;
using eventstore::cache::MemoryCache;
using eventstore::cache::MemoryCacheOptions;
using namespace std::chrono_literals;

LogPosition at(std::int64_t position) {
  return LogPosition{static_cast<std::uint64_t>(position), GlobalPosition{position}};
}

CachedValue value(std::string bytes, std::int64_t position = 1) { return CachedValue{std::move(bytes), at(position)}; }

bool holds(MemoryCache& cache, const std::string& key) { return cache.get(key).value().has_value(); }

TEST(MemoryCache, StaysWithinItsBytesAfterManyInserts) {
  MemoryCacheOptions options{.capacity_bytes = 64 * 1024, .shard_count = 8, .entry_overhead_bytes = 64};
  MemoryCache cache(options);
  std::mt19937 random(42);
  std::uniform_int_distribution<std::size_t> size(0, 900);
  std::size_t inserted_bytes = 0;
  for (int i = 0; i < 20'000; ++i) {
    const auto key = "key-" + std::to_string(i);
    const std::string bytes(size(random), 'x');
    inserted_bytes += cache.entry_bytes(key, bytes);
    ASSERT_TRUE(cache.put(key, value(bytes), 1h));
    const auto statistics = cache.statistics();
    ASSERT_LE(statistics.bytes, options.capacity_bytes) << "after " << i + 1 << " inserts";
  }
  for (std::size_t shard = 0; shard < cache.shard_count(); ++shard) {
    EXPECT_LE(cache.shard_bytes(shard), options.capacity_bytes / options.shard_count);
  }
  const auto statistics = cache.statistics();
  EXPECT_GT(inserted_bytes, 10 * options.capacity_bytes);
  EXPECT_GT(statistics.evictions, 0u);
  // The bound is used, not left empty: each shard is at least half full.
  EXPECT_GT(statistics.bytes, options.capacity_bytes / 2);
  EXPECT_EQ(statistics.entries + statistics.evictions, 20'000u - statistics.rejected);
}

TEST(MemoryCache, CountsKeyValueAndOverhead) {
  MemoryCache cache({.capacity_bytes = 1'000, .shard_count = 1, .entry_overhead_bytes = 100});
  ASSERT_TRUE(cache.put("abc", value("12345"), 1h));
  EXPECT_EQ(cache.statistics().bytes, 3u + 5u + 100u);
  EXPECT_EQ(cache.entry_bytes("abc", "12345"), 108u);
}

TEST(MemoryCache, EvictsTheLeastRecentlyUsedFirst) {
  // Room for exactly three entries of 1 + 9 + 10 bytes.
  MemoryCache cache({.capacity_bytes = 60, .shard_count = 1, .entry_overhead_bytes = 10});
  for (const auto* key : {"a", "b", "c"}) ASSERT_TRUE(cache.put(key, value("123456789"), 1h));
  ASSERT_TRUE(holds(cache, "a"));  // a is now the most recently used; b the least
  ASSERT_TRUE(cache.put("d", value("123456789"), 1h));
  EXPECT_FALSE(holds(cache, "b"));
  EXPECT_TRUE(holds(cache, "c"));
  EXPECT_TRUE(holds(cache, "a"));
  EXPECT_TRUE(holds(cache, "d"));
  EXPECT_EQ(cache.statistics().evictions, 1u);
  // Order now (most recent first): d a c; the next insert evicts c.
  ASSERT_TRUE(cache.put("e", value("123456789"), 1h));
  EXPECT_FALSE(holds(cache, "c"));
  EXPECT_EQ(cache.statistics().evictions, 2u);
}

TEST(MemoryCache, ExpiresEntriesAfterTheirTimeToLive) {
  eventstore::cache::test::StepClock clock;
  MemoryCache cache({}, clock);
  ASSERT_TRUE(cache.put("k", value("v"), 10s));
  clock.advance(9s);
  auto entry = cache.get("k").value();
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->time_to_live, 1s);
  clock.advance(1s);
  EXPECT_FALSE(holds(cache, "k"));
  const auto statistics = cache.statistics();
  EXPECT_EQ(statistics.expirations, 1u);
  EXPECT_EQ(statistics.entries, 0u);
  EXPECT_EQ(statistics.bytes, 0u);
}

TEST(MemoryCache, EachShardHasItsOwnBudget) {
  MemoryCache cache({.capacity_bytes = 4 * 1'000, .shard_count = 4, .entry_overhead_bytes = 0});
  // Keys of two different shards.
  std::vector<std::string> first_shard, other_shard;
  for (int i = 0; first_shard.size() < 30 || other_shard.empty(); ++i) {
    auto key = "k" + std::to_string(1000 + i);  // all keys 5 bytes
    if (cache.shard_of(key) == 0)
      first_shard.push_back(key);
    else if (other_shard.empty())
      other_shard.push_back(key);
  }
  const auto other = cache.shard_of(other_shard[0]);
  ASSERT_TRUE(cache.put(other_shard[0], value(std::string(95, 'o')), 1h));
  // 30 entries of 100 bytes into a shard of 1,000: only the last 10 stay.
  for (const auto& key : first_shard) ASSERT_TRUE(cache.put(key, value(std::string(95, 'x')), 1h));
  EXPECT_EQ(cache.shard_bytes(0), 1'000u);
  EXPECT_EQ(cache.shard_bytes(other), 100u);
  EXPECT_TRUE(holds(cache, other_shard[0]));
  EXPECT_FALSE(holds(cache, first_shard.front()));
  EXPECT_TRUE(holds(cache, first_shard.back()));
  EXPECT_EQ(cache.statistics().evictions, 20u);
}

TEST(MemoryCache, KeepsTheNewerValueWhenAnOlderOneArrivesLate) {
  MemoryCache cache;
  ASSERT_TRUE(cache.put("k", value("new", 7), 1h));
  ASSERT_TRUE(cache.put("k", value("old", 5), 1h));
  EXPECT_EQ(cache.get("k").value()->value.bytes, "new");
  ASSERT_TRUE(cache.put("k", value("newer", 8), 1h));
  EXPECT_EQ(cache.get("k").value()->value.bytes, "newer");
}

TEST(MemoryCache, EraseOlderThanDropsOnlyOlderValues) {
  MemoryCache cache;
  ASSERT_TRUE(cache.put("k", value("v", 7), 1h));
  ASSERT_TRUE(cache.erase_older_than("k", at(7)));
  EXPECT_TRUE(holds(cache, "k"));
  ASSERT_TRUE(cache.erase_older_than("k", at(8)));
  EXPECT_FALSE(holds(cache, "k"));
}

TEST(MemoryCache, RefusesAnEntryLargerThanAShard) {
  MemoryCache cache({.capacity_bytes = 1'000, .shard_count = 2, .entry_overhead_bytes = 0});
  ASSERT_TRUE(cache.put("big", value(std::string(600, 'x')), 1h));
  EXPECT_FALSE(holds(cache, "big"));
  EXPECT_EQ(cache.statistics().rejected, 1u);
}

TEST(MemoryCache, StaysWithinItsBytesUnderConcurrentUse) {
  MemoryCacheOptions options{.capacity_bytes = 32 * 1024, .shard_count = 4, .entry_overhead_bytes = 32};
  MemoryCache cache(options);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5'000; ++i) {
        const auto key = "k" + std::to_string((t * 7919 + i) % 3'000);
        if (i % 3 == 0)
          (void)cache.get(key);
        else
          (void)cache.put(key, value(std::string(static_cast<std::size_t>(i % 200), 'x'), i), 1h);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(cache.statistics().bytes, options.capacity_bytes);
}

}  // namespace
