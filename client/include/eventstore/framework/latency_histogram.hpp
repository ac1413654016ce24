// A histogram of durations for percentiles (p50, p99) that threads record
// into at once without a lock. Buckets are exact below 64 µs and then 32 per
// power of two, so a percentile is within about 3% of the true value; the
// histogram covers up to days and takes about 10 KB.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace eventstore {

class LatencyHistogram {
 public:
  LatencyHistogram() = default;
  LatencyHistogram(const LatencyHistogram& other) noexcept;
  LatencyHistogram& operator=(const LatencyHistogram& other) noexcept;

  void record(std::chrono::microseconds duration) noexcept;
  // Adds every recording of `other` to this one.
  void merge(const LatencyHistogram& other) noexcept;

  [[nodiscard]] std::uint64_t count() const noexcept;
  // The smallest duration that `quantile` (0 to 1) of the recordings do not
  // exceed, e.g. percentile(0.99) for p99; zero without recordings.
  [[nodiscard]] std::chrono::microseconds percentile(double quantile) const noexcept;
  [[nodiscard]] std::chrono::microseconds max() const noexcept;
  [[nodiscard]] std::chrono::microseconds mean() const noexcept;

 private:
  static constexpr std::size_t exact_below = 64;
  static constexpr std::size_t steps_per_power_of_two = 32;
  static constexpr std::size_t bucket_count = exact_below + 42 * steps_per_power_of_two;

  [[nodiscard]] static std::size_t bucket_of(std::uint64_t microseconds) noexcept;
  // The largest duration that falls into the bucket.
  [[nodiscard]] static std::uint64_t bucket_ceiling(std::size_t bucket) noexcept;

  std::array<std::atomic<std::uint64_t>, bucket_count> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> total_microseconds_{0};
  std::atomic<std::uint64_t> max_microseconds_{0};
};

}  // namespace eventstore
