// A circuit breaker: when the server looks unhealthy, stop sending it calls
// for a while instead of piling more onto it, and fail fast meanwhile.
//
//   closed     calls go through; the outcomes of the last window_size calls
//              are kept. Once the window holds at least minimum_calls, one of
//              them failed, and the share of failures in it reaches
//              failure_rate_threshold, the circuit opens.
//   open       calls are refused at once with ErrorCode::circuit_open (which
//              is retryable) for open_duration.
//   half-open  then up to half_open_trial_calls trial calls go through (others
//              are refused). The first failing trial opens the circuit again;
//              when all of them succeed, it closes with an empty window.
//
// Only failures that say the server is unwell count (by default connection
// lost, timeout, server shutdown, out of memory, internal error). A server
// that answers "wrong expected version" or "invalid JSON" is healthy: such
// errors count as successful calls. Thread-safe; share one breaker among all
// the calls to one server.
//
//   eventstore::CircuitBreaker breaker{{.open_duration = std::chrono::seconds{10}}};
//   auto page = breaker.call([&] { return store.read_stream(stream); });
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "eventstore/resilience/result_callable.hpp"
#include "eventstore/store/clock.hpp"
#include "eventstore/store/error.hpp"
#include "eventstore/store/result.hpp"

namespace eventstore {

enum class CircuitState { closed, open, half_open };

[[nodiscard]] std::string_view to_string(CircuitState state) noexcept;

// The default of CircuitBreakerOptions::counts_as_failure: connection_lost,
// timeout, server_shutdown, out_of_memory and internal.
[[nodiscard]] bool indicates_unhealthy_server(const Error& error) noexcept;

struct CircuitBreakerOptions {
  // Open when at least this share of the calls in the window failed (0 to 1;
  // a window without failures never opens the circuit).
  double failure_rate_threshold = 0.5;
  // How many of the latest calls the failure rate is taken over.
  std::size_t window_size = 20;
  // No opening while the window holds fewer calls than this (at most window_size).
  std::size_t minimum_calls = 10;
  // How long an open circuit refuses calls before it lets trial calls through.
  std::chrono::milliseconds open_duration{5'000};
  // Trial calls in half-open state, all of which must succeed to close (at least 1).
  std::size_t half_open_trial_calls = 3;
  // Which errors count as failures; indicates_unhealthy_server when empty.
  std::function<bool(const Error&)> counts_as_failure{};
  // Told of every change of state, after it happened (not under the breaker's
  // lock, so it may call state() or counters()).
  std::function<void(CircuitState from, CircuitState to)> on_state_change{};
};

// Totals since the breaker was made, for metrics.
struct CircuitBreakerCounters {
  std::uint64_t successful_calls = 0;  // finished without a failure that counts
  std::uint64_t failed_calls = 0;      // finished with a failure that counts
  std::uint64_t rejected_calls = 0;    // refused with circuit_open
  std::uint64_t times_opened = 0;
  // The current window (empty while open or half-open).
  std::size_t calls_in_window = 0;
  std::size_t failures_in_window = 0;
};

class CircuitBreaker {
 public:
  // Leave to a call that the breaker let through: report its outcome with
  // finish(). A permit dropped without finish() frees its trial slot and counts
  // nothing (as when the call threw).
  class Permit {
   public:
    Permit(Permit&& other) noexcept
        : breaker_(std::exchange(other.breaker_, nullptr)), generation_(other.generation_) {}
    Permit& operator=(Permit&&) = delete;
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    ~Permit();

    // `error` is the call's error, or nullptr when it succeeded.
    void finish(const Error* error);

   private:
    friend class CircuitBreaker;
    Permit(CircuitBreaker* breaker, std::uint64_t generation) noexcept : breaker_(breaker), generation_(generation) {}

    CircuitBreaker* breaker_;
    std::uint64_t generation_;
  };

  explicit CircuitBreaker(CircuitBreakerOptions options = {}, Clock& clock = Clock::system());
  CircuitBreaker(const CircuitBreaker&) = delete;
  CircuitBreaker& operator=(const CircuitBreaker&) = delete;

  // Calls `function` unless the circuit refuses it (circuit_open), and
  // records the outcome.
  template <ResultCallable Function>
  [[nodiscard]] CallResult<Function> call(Function&& function) {
    Result<Permit> permit = try_acquire();
    if (!permit) return std::unexpected(std::move(permit.error()));
    CallResult<Function> result = std::invoke(function);
    permit->finish(result ? nullptr : &result.error());
    return result;
  }

  // A permit for one call, or circuit_open. For composing by hand; call() does both steps.
  [[nodiscard]] Result<Permit> try_acquire();

  // half_open as soon as the open duration has passed.
  [[nodiscard]] CircuitState state() const;
  [[nodiscard]] CircuitBreakerCounters counters() const;
  [[nodiscard]] const CircuitBreakerOptions& options() const noexcept { return options_; }

 private:
  struct Transition {
    CircuitState from;
    CircuitState to;
  };
  using Transitions = std::vector<Transition>;

  void finish(std::uint64_t generation, const Error* error);
  void abandon(std::uint64_t generation);
  // With mutex_ held: open -> half_open once the open duration has passed.
  void move_to_half_open_if_due(Transitions& transitions) const;
  void change_state(CircuitState to, Transitions& transitions) const;
  void record_in_window(bool failed) const;
  void notify(const Transitions& transitions) const;
  [[nodiscard]] bool failure_rate_reached() const noexcept;

  CircuitBreakerOptions options_;
  Clock& clock_;
  mutable std::mutex mutex_;
  // Everything below is guarded by mutex_. It changes under const observers
  // too: state() moves an open circuit to half-open once its time is up.
  mutable CircuitState state_ = CircuitState::closed;
  // Bumped on every change of state: outcomes of calls let through under an
  // earlier state only count in the totals.
  mutable std::uint64_t generation_ = 0;
  mutable Clock::time_point opened_at_{};
  mutable std::vector<bool> window_;  // ring of the latest outcomes, true = failed
  mutable std::size_t window_next_ = 0;
  mutable std::size_t window_count_ = 0;
  mutable std::size_t window_failures_ = 0;
  mutable std::size_t trials_started_ = 0;
  mutable std::size_t trials_succeeded_ = 0;
  mutable CircuitBreakerCounters counters_{};
};

}  // namespace eventstore
