#include "eventstore/resilience/retry.hpp"

#include <algorithm>
#include <random>

namespace eventstore {
namespace {

class MersenneTwisterUniform {
 public:
  explicit MersenneTwisterUniform(std::uint64_t seed) : engine_(seed) {}
  double operator()() { return std::generate_canonical<double, 53>(engine_); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace

UniformRandom seeded_uniform_random(std::uint64_t seed) { return MersenneTwisterUniform{seed}; }

Retry::Retry(RetryOptions options, Clock& clock, UniformRandom random)
    : options_(std::move(options)), clock_(clock), random_(std::move(random)) {
  if (!random_) {
    std::random_device device;
    random_ = seeded_uniform_random((std::uint64_t{device()} << 32) | device());
  }
}

bool Retry::retries(const Error& error) const {
  return error.retryable() && (!options_.retry_on || options_.retry_on(error));
}

Clock::duration Retry::pause_ceiling(int retry) const noexcept {
  using std::chrono::nanoseconds;
  auto cap = std::chrono::duration_cast<nanoseconds>(options_.max_delay);
  auto ceiling = std::chrono::duration_cast<nanoseconds>(options_.base_delay);
  if (ceiling <= nanoseconds::zero() || cap <= nanoseconds::zero()) return Clock::duration::zero();
  // Doubling stops at the cap, so the exponent never overflows.
  for (int doubling = 1; doubling < retry && ceiling < cap; ++doubling) ceiling *= 2;
  return std::chrono::duration_cast<Clock::duration>(std::min(ceiling, cap));
}

std::optional<Deadline> Retry::deadline_of_call() const {
  std::optional<Deadline> deadline = DeadlineScope::current();
  if (options_.total_timeout) {
    Deadline own = clock_.now() + *options_.total_timeout;
    if (!deadline || own < *deadline) deadline = own;
  }
  return deadline;
}

std::optional<Clock::duration> Retry::pause_before_retry(int failed_attempt, const Error& error,
                                                         std::optional<Deadline> deadline) const {
  if (failed_attempt >= options_.max_attempts || !retries(error)) return std::nullopt;
  Clock::duration ceiling = pause_ceiling(failed_attempt);
  double fraction = 0;
  {
    std::lock_guard guard(random_mutex_);
    fraction = std::clamp(random_(), 0.0, 1.0);
  }
  // Full jitter: anywhere from 0 to the ceiling, both included.
  auto ticks = static_cast<Clock::duration::rep>(fraction * static_cast<double>(ceiling.count() + 1));
  Clock::duration pause{std::min(ticks, ceiling.count())};
  // An attempt that would start at or after the deadline could only time out:
  // the error in hand says more.
  if (deadline && clock_.now() + pause >= *deadline) return std::nullopt;
  if (options_.on_retry) options_.on_retry(RetryAttempt{failed_attempt, error, pause});
  return pause;
}

}  // namespace eventstore
