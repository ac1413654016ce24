// Retry with exponential backoff and full jitter: a call that failed with an
// error that may succeed on retry (Error::retryable(): a serialization
// conflict, a lost connection, a timeout, a server shutting down, a full pool,
// an open circuit, a full bulkhead) is made again after a random pause of
// 0 to min(max_delay, base_delay * 2^(retry - 1)). Errors that would only
// repeat themselves (wrong_expected_version, invalid input, a reused event id)
// are returned at once.
//
// Attempts stop at max_attempts, and when the next pause would end after the
// deadline: the earlier of total_timeout (from the start of the call) and the
// DeadlineScope around the call. The last error is returned then, not a
// timeout. While total_timeout applies, every attempt runs in a DeadlineScope,
// so a client call inside cannot outlive it either.
//
//   eventstore::Retry retry{{.max_attempts = 5, .total_timeout = std::chrono::seconds{2}}};
//   auto appended = retry.call([&] { return store.append(stream, expected, events); });
//
// An append is safe to retry: the same event ids make a repeated append
// return the original result instead of writing again. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>

#include "eventstore/resilience/result_callable.hpp"
#include "eventstore/store/clock.hpp"
#include "eventstore/store/deadline.hpp"
#include "eventstore/store/error.hpp"

namespace eventstore {

// Uniformly distributed numbers in [0, 1), the randomness of the jitter.
using UniformRandom = std::function<double()>;

// A reproducible UniformRandom (a 64-bit Mersenne Twister with this seed).
[[nodiscard]] UniformRandom seeded_uniform_random(std::uint64_t seed);

// What on_retry is told before each pause.
struct RetryAttempt {
  int failed_attempt;     // 1 for the first attempt
  const Error& error;     // why it failed
  Clock::duration pause;  // how long the retry waits before the next attempt
};

struct RetryOptions {
  // Attempts in all, the first one included: 1 means never retry.
  int max_attempts = 4;
  // The longest pause before the first retry; it doubles for every further retry ...
  std::chrono::milliseconds base_delay{50};
  // ... up to this cap.
  std::chrono::milliseconds max_delay{2'000};
  // How long all attempts and pauses of one call may take together. None:
  // only max_attempts and an enclosing DeadlineScope limit the call.
  std::optional<std::chrono::milliseconds> total_timeout{};
  // Narrows which retryable errors are retried (e.g. only connection_lost).
  // It cannot widen them: an error whose retryable() is false is never retried.
  std::function<bool(const Error&)> retry_on{};
  // Told before every pause, for logs and metrics.
  std::function<void(const RetryAttempt&)> on_retry{};
};

class Retry {
 public:
  // `random` defaults to a generator seeded from std::random_device.
  explicit Retry(RetryOptions options = {}, Clock& clock = Clock::system(), UniformRandom random = {});

  // Calls `function` until it succeeds, fails with an error not worth
  // retrying, or the attempts or the time run out; returns its last result.
  template <ResultCallable Function>
  [[nodiscard]] CallResult<Function> call(Function&& function) const {
    std::optional<Deadline> deadline = deadline_of_call();
    for (int attempt = 1;; ++attempt) {
      CallResult<Function> result = attempt_within(function, deadline);
      if (result) return result;
      std::optional<Clock::duration> pause = pause_before_retry(attempt, result.error(), deadline);
      if (!pause) return result;
      clock_.sleep_for(*pause);
    }
  }

  // Whether this Retry retries `error` at all (attempts and time aside).
  [[nodiscard]] bool retries(const Error& error) const;
  // The longest pause before retry number `retry` (1 for the first):
  // min(max_delay, base_delay * 2^(retry - 1)).
  [[nodiscard]] Clock::duration pause_ceiling(int retry) const noexcept;
  [[nodiscard]] const RetryOptions& options() const noexcept { return options_; }

 private:
  template <class Function>
  [[nodiscard]] CallResult<Function> attempt_within(Function& function, std::optional<Deadline> deadline) const {
    if (!options_.total_timeout || !deadline) return std::invoke(function);
    DeadlineScope scope{*deadline};
    return std::invoke(function);
  }

  // The earlier of total_timeout from now and the enclosing DeadlineScope.
  [[nodiscard]] std::optional<Deadline> deadline_of_call() const;
  // The pause before the next attempt, or nothing when `error` is to be returned.
  [[nodiscard]] std::optional<Clock::duration> pause_before_retry(int failed_attempt, const Error& error,
                                                                  std::optional<Deadline> deadline) const;

  RetryOptions options_;
  Clock& clock_;
  mutable std::mutex random_mutex_;
  mutable UniformRandom random_;
};

}  // namespace eventstore
