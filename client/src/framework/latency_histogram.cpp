#include "eventstore/framework/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace eventstore {

LatencyHistogram::LatencyHistogram(const LatencyHistogram& other) noexcept { merge(other); }

LatencyHistogram& LatencyHistogram::operator=(const LatencyHistogram& other) noexcept {
  if (this == &other) return *this;
  for (auto& bucket : buckets_) bucket.store(0, std::memory_order_relaxed);
  count_.store(0, std::memory_order_relaxed);
  total_microseconds_.store(0, std::memory_order_relaxed);
  max_microseconds_.store(0, std::memory_order_relaxed);
  merge(other);
  return *this;
}

std::size_t LatencyHistogram::bucket_of(std::uint64_t microseconds) noexcept {
  if (microseconds < exact_below) return static_cast<std::size_t>(microseconds);
  // 64 .. 127 is the first power of two above the exact buckets.
  auto shift = static_cast<std::size_t>(std::bit_width(microseconds)) - 6;               // at least 1
  auto step = static_cast<std::size_t>(microseconds >> shift) - steps_per_power_of_two;  // 0 .. 31
  return std::min(exact_below + (shift - 1) * steps_per_power_of_two + step, bucket_count - 1);
}

std::uint64_t LatencyHistogram::bucket_ceiling(std::size_t bucket) noexcept {
  if (bucket < exact_below) return bucket;
  std::size_t shift = (bucket - exact_below) / steps_per_power_of_two + 1;
  std::uint64_t step = (bucket - exact_below) % steps_per_power_of_two;
  return ((steps_per_power_of_two + step + 1) << shift) - 1;
}

void LatencyHistogram::record(std::chrono::microseconds duration) noexcept {
  auto microseconds = static_cast<std::uint64_t>(std::max<std::int64_t>(duration.count(), 0));
  buckets_[bucket_of(microseconds)].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  total_microseconds_.fetch_add(microseconds, std::memory_order_relaxed);
  std::uint64_t seen = max_microseconds_.load(std::memory_order_relaxed);
  while (microseconds > seen &&
         !max_microseconds_.compare_exchange_weak(seen, microseconds, std::memory_order_relaxed)) {
  }
}

void LatencyHistogram::merge(const LatencyHistogram& other) noexcept {
  for (std::size_t bucket = 0; bucket < bucket_count; ++bucket)
    buckets_[bucket].fetch_add(other.buckets_[bucket].load(std::memory_order_relaxed), std::memory_order_relaxed);
  count_.fetch_add(other.count_.load(std::memory_order_relaxed), std::memory_order_relaxed);
  total_microseconds_.fetch_add(other.total_microseconds_.load(std::memory_order_relaxed), std::memory_order_relaxed);
  std::uint64_t theirs = other.max_microseconds_.load(std::memory_order_relaxed);
  std::uint64_t seen = max_microseconds_.load(std::memory_order_relaxed);
  while (theirs > seen && !max_microseconds_.compare_exchange_weak(seen, theirs, std::memory_order_relaxed)) {
  }
}

std::uint64_t LatencyHistogram::count() const noexcept { return count_.load(std::memory_order_relaxed); }

std::chrono::microseconds LatencyHistogram::percentile(double quantile) const noexcept {
  // Counted from the buckets, so that recordings racing with this call never make the rank unreachable.
  std::uint64_t total = 0;
  for (const auto& bucket : buckets_) total += bucket.load(std::memory_order_relaxed);
  if (total == 0) return std::chrono::microseconds{0};
  quantile = std::clamp(quantile, 0.0, 1.0);
  auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(quantile * static_cast<double>(total))));
  std::uint64_t seen = 0;
  for (std::size_t bucket = 0; bucket < bucket_count; ++bucket) {
    seen += buckets_[bucket].load(std::memory_order_relaxed);
    if (seen >= rank) {
      // The bucket's ceiling, but never above the largest recording.
      auto ceiling = std::min(bucket_ceiling(bucket), max_microseconds_.load(std::memory_order_relaxed));
      return std::chrono::microseconds{static_cast<std::int64_t>(ceiling)};
    }
  }
  return max();
}

std::chrono::microseconds LatencyHistogram::max() const noexcept {
  return std::chrono::microseconds{static_cast<std::int64_t>(max_microseconds_.load(std::memory_order_relaxed))};
}

std::chrono::microseconds LatencyHistogram::mean() const noexcept {
  std::uint64_t recorded = count();
  if (recorded == 0) return std::chrono::microseconds{0};
  return std::chrono::microseconds{
      static_cast<std::int64_t>(total_microseconds_.load(std::memory_order_relaxed) / recorded)};
}

}  // namespace eventstore
