// The cache under a Zipf(s) load over N keys, level 1 sized at a share of
// the keys' bytes: level 1's hit rate, and the median latency of a cached get
// in process (a level-1 hit) and through Redis (a level-2 hit).
//
//   cache_benchmark [--keys N] [--value-bytes B] [--zipf S] [--level1-share F]
//                   [--requests R] [--redis-port P]   (default: $EVENTSTORE_TEST_REDIS_PORT; 0 skips Redis)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "eventstore/cache.hpp"

namespace {

using eventstore::GlobalPosition;
using eventstore::LogPosition;
using eventstore::cache::CachedValue;
using eventstore::cache::RedisCache;
using eventstore::cache::RedisCacheOptions;
using eventstore::cache::TieredCache;
using eventstore::cache::TieredCacheOptions;
using Clock = std::chrono::steady_clock;

struct Settings {
  std::size_t keys = 100'000;
  std::size_t value_bytes = 100;
  double zipf = 1.1;
  double level1_share = 0.10;
  std::size_t requests = 2'000'000;
  int redis_port = 0;
};

// Key ranks drawn with P(rank k) proportional to 1 / k^s.
class Zipf {
 public:
  Zipf(std::size_t keys, double s) : cumulative_(keys) {
    double sum = 0;
    for (std::size_t k = 0; k < keys; ++k) cumulative_[k] = sum += 1.0 / std::pow(static_cast<double>(k + 1), s);
    for (auto& c : cumulative_) c /= sum;
  }
  // The share of requests for the `top` most popular keys: the hit rate of a
  // cache that always held exactly those (no policy that holds `top` keys does better).
  [[nodiscard]] double share_of_top(std::size_t top) const {
    return top == 0 ? 0.0 : cumulative_[std::min(top, cumulative_.size()) - 1];
  }
  std::size_t operator()(std::mt19937_64& random) {
    const double u = std::uniform_real_distribution<double>(0, 1)(random);
    return static_cast<std::size_t>(std::lower_bound(cumulative_.begin(), cumulative_.end(), u) - cumulative_.begin());
  }

 private:
  std::vector<double> cumulative_;
};

std::string key_of(std::size_t rank) { return "order-" + std::to_string(rank); }

CachedValue value_of(std::size_t rank, std::size_t bytes) {
  const auto position = static_cast<std::int64_t>(rank + 1);
  return CachedValue{std::string(bytes, static_cast<char>('a' + rank % 26)),
                     LogPosition{static_cast<std::uint64_t>(position), GlobalPosition{position}}};
}

double percentile_us(std::vector<double>& samples, double p) {
  if (samples.empty()) return 0;
  const auto at = static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1));
  std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(at), samples.end());
  return samples[at];
}

double since_us(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

Settings parse(int argc, char** argv) {
  Settings settings;
  if (const char* port = std::getenv("EVENTSTORE_TEST_REDIS_PORT")) settings.redis_port = std::atoi(port);
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const char* text = argv[i + 1];
    if (name == "--keys")
      settings.keys = std::stoul(text);
    else if (name == "--value-bytes")
      settings.value_bytes = std::stoul(text);
    else if (name == "--zipf")
      settings.zipf = std::stod(text);
    else if (name == "--level1-share")
      settings.level1_share = std::stod(text);
    else if (name == "--requests")
      settings.requests = std::stoul(text);
    else if (name == "--redis-port")
      settings.redis_port = std::atoi(text);
    else {
      std::fprintf(stderr, "unknown option %s\n", name.c_str());
      std::exit(2);
    }
  }
  return settings;
}

}  // namespace

int main(int argc, char** argv) {
  const auto settings = parse(argc, argv);
  Zipf zipf(settings.keys, settings.zipf);
  std::mt19937_64 random(2026);

  // Level 1 gets a share of what all keys would take in it.
  TieredCacheOptions options;
  std::size_t all_bytes = 0;
  {
    eventstore::cache::MemoryCache sizing(options.level1);
    for (std::size_t k = 0; k < settings.keys; ++k) {
      all_bytes += sizing.entry_bytes(key_of(k), std::string(settings.value_bytes, 'x'));
    }
  }
  options.level1.capacity_bytes = static_cast<std::size_t>(static_cast<double>(all_bytes) * settings.level1_share);

  // In process: level 1 alone, warmed up by one pass of the load, then measured.
  TieredCache cache(options);
  std::vector<double> hit_us;
  hit_us.reserve(settings.requests);
  std::size_t failures = 0;
  for (int pass = 0; pass < 2; ++pass) {
    const auto before = cache.statistics();
    for (std::size_t i = 0; i < settings.requests; ++i) {
      const auto rank = zipf(random);
      const auto key = key_of(rank);
      const auto start = Clock::now();
      auto result = cache.get_or_load(key, {}, [&] { return value_of(rank, settings.value_bytes); });
      const auto took = since_us(start);
      if (!result) ++failures;
      if (pass == 1 && cache.statistics().level1_hits > before.level1_hits + hit_us.size()) hit_us.push_back(took);
    }
    if (pass == 1) {
      const auto after = cache.statistics();
      const auto hits = after.level1_hits - before.level1_hits;
      std::printf("| keys | value bytes | Zipf s | level 1 bytes (share of all) | requests |\n|---|---|---|---|---|\n");
      std::printf("| %zu | %zu | %.2f | %zu (%.0f %% of %zu) | %zu |\n\n", settings.keys, settings.value_bytes,
                  settings.zipf, options.level1.capacity_bytes, settings.level1_share * 100, all_bytes,
                  settings.requests);
      std::printf("| measure | value | goal |\n|---|---|---|\n");
      std::printf("| level-1 hit rate | %.2f %% | >= 95 %% |\n",
                  100.0 * static_cast<double>(hits) / static_cast<double>(settings.requests));
      std::printf("| level-1 entries held | %zu of %zu keys | |\n", after.level1_entries, settings.keys);
      std::printf("| best possible hit rate holding that many keys (the most popular ones) | %.2f %% | |\n",
                  100.0 * zipf.share_of_top(after.level1_entries));
      std::printf("| cached get in process, p50 | %.2f us | < 50 us |\n", percentile_us(hit_us, 0.5));
      std::printf("| cached get in process, p99 | %.2f us | |\n", percentile_us(hit_us, 0.99));
    }
  }

  if (settings.redis_port != 0) {
    // Through Redis: a level 1 that holds nothing, so every get is a level-2 hit.
    RedisCacheOptions redis_options;
    redis_options.port = settings.redis_port;
    redis_options.key_prefix = "eventstore-bench:";
    RedisCache writer(redis_options);
    const std::size_t stored = std::min<std::size_t>(settings.keys, 10'000);
    for (std::size_t k = 0; k < stored; ++k) {
      if (!writer.put(key_of(k), value_of(k, settings.value_bytes), std::chrono::minutes{10})) ++failures;
    }
    TieredCacheOptions through_redis;
    through_redis.level1.capacity_bytes = 0;
    TieredCache cache2(through_redis, std::make_unique<RedisCache>(redis_options));
    std::vector<double> redis_us;
    const std::size_t gets = 20'000;
    redis_us.reserve(gets);
    for (std::size_t i = 0; i < gets; ++i) {
      const auto rank = zipf(random) % stored;
      const auto start = Clock::now();
      auto found = cache2.get(key_of(rank));
      redis_us.push_back(since_us(start));
      if (!found || !*found) ++failures;
    }
    const auto statistics = cache2.statistics();
    std::printf("| cached get through Redis (level-2 hit, loopback), p50 | %.1f us | < 1 ms |\n",
                percentile_us(redis_us, 0.5));
    std::printf("| cached get through Redis, p99 | %.1f us | |\n", percentile_us(redis_us, 0.99));
    std::printf("| level-2 hits / errors | %llu / %llu | |\n", static_cast<unsigned long long>(statistics.level2_hits),
                static_cast<unsigned long long>(statistics.level2_errors));
    std::vector<std::string> keys;
    for (std::size_t k = 0; k < stored; ++k) keys.push_back(key_of(k));
    (void)writer.erase_many(keys);
  }
  if (failures != 0) {
    std::fprintf(stderr, "%zu requests failed\n", failures);
    return 1;
  }
  return 0;
}
