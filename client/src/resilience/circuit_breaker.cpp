#include "eventstore/resilience/circuit_breaker.hpp"

#include <algorithm>
#include <string>

namespace eventstore {

std::string_view to_string(CircuitState state) noexcept {
  switch (state) {
    case CircuitState::closed: return "closed";
    case CircuitState::open: return "open";
    case CircuitState::half_open: return "half_open";
  }
  return "unknown";
}

bool indicates_unhealthy_server(const Error& error) noexcept {
  switch (error.code()) {
    case ErrorCode::connection_lost:
    case ErrorCode::timeout:
    case ErrorCode::server_shutdown:
    case ErrorCode::out_of_memory:
    case ErrorCode::internal: return true;
    default: return false;
  }
}

CircuitBreaker::Permit::~Permit() {
  if (breaker_ != nullptr) breaker_->abandon(generation_);
}

void CircuitBreaker::Permit::finish(const Error* error) {
  if (breaker_ == nullptr) return;
  std::exchange(breaker_, nullptr)->finish(generation_, error);
}

CircuitBreaker::CircuitBreaker(CircuitBreakerOptions options, Clock& clock)
    : options_(std::move(options)), clock_(clock) {
  // Out-of-range settings are brought into range rather than refused: a
  // breaker must never be what stops an application from starting.
  options_.failure_rate_threshold = std::clamp(options_.failure_rate_threshold, 0.0, 1.0);
  options_.window_size = std::max<std::size_t>(options_.window_size, 1);
  options_.minimum_calls = std::clamp<std::size_t>(options_.minimum_calls, 1, options_.window_size);
  options_.half_open_trial_calls = std::max<std::size_t>(options_.half_open_trial_calls, 1);
  if (!options_.counts_as_failure) options_.counts_as_failure = indicates_unhealthy_server;
  window_.assign(options_.window_size, false);
}

Result<CircuitBreaker::Permit> CircuitBreaker::try_acquire() {
  Transitions transitions;
  Result<Permit> outcome = [&]() -> Result<Permit> {
    std::lock_guard guard(mutex_);
    move_to_half_open_if_due(transitions);
    switch (state_) {
      case CircuitState::closed: return Permit{this, generation_};
      case CircuitState::half_open:
        if (trials_started_ < options_.half_open_trial_calls) {
          ++trials_started_;
          return Permit{this, generation_};
        }
        ++counters_.rejected_calls;
        return std::unexpected(Error{ErrorCode::circuit_open, "the circuit breaker is half-open and all of its " +
                                                                  std::to_string(options_.half_open_trial_calls) +
                                                                  " trial calls are taken; try again shortly"});
      case CircuitState::open: break;
    }
    ++counters_.rejected_calls;
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(opened_at_ + options_.open_duration - clock_.now());
    return std::unexpected(Error{ErrorCode::circuit_open,
                                 "the circuit breaker is open after too many failures of the server; calls are "
                                 "refused for another " +
                                     std::to_string(left.count()) + " ms"});
  }();
  notify(transitions);
  return outcome;
}

void CircuitBreaker::finish(std::uint64_t generation, const Error* error) {
  bool failed = error != nullptr && options_.counts_as_failure(*error);
  Transitions transitions;
  {
    std::lock_guard guard(mutex_);
    if (failed)
      ++counters_.failed_calls;
    else
      ++counters_.successful_calls;
    if (generation == generation_) {
      if (state_ == CircuitState::closed) {
        record_in_window(failed);
        if (failure_rate_reached()) change_state(CircuitState::open, transitions);
      } else if (state_ == CircuitState::half_open) {
        if (failed) {
          change_state(CircuitState::open, transitions);
        } else if (++trials_succeeded_ == options_.half_open_trial_calls) {
          change_state(CircuitState::closed, transitions);
        }
      }
    }
  }
  notify(transitions);
}

void CircuitBreaker::abandon(std::uint64_t generation) {
  std::lock_guard guard(mutex_);
  if (generation == generation_ && state_ == CircuitState::half_open && trials_started_ > 0) --trials_started_;
}

CircuitState CircuitBreaker::state() const {
  Transitions transitions;
  CircuitState state;
  {
    std::lock_guard guard(mutex_);
    move_to_half_open_if_due(transitions);
    state = state_;
  }
  notify(transitions);
  return state;
}

CircuitBreakerCounters CircuitBreaker::counters() const {
  std::lock_guard guard(mutex_);
  CircuitBreakerCounters counters = counters_;
  counters.calls_in_window = window_count_;
  counters.failures_in_window = window_failures_;
  return counters;
}

void CircuitBreaker::move_to_half_open_if_due(Transitions& transitions) const {
  if (state_ == CircuitState::open && clock_.now() >= opened_at_ + options_.open_duration)
    change_state(CircuitState::half_open, transitions);
}

void CircuitBreaker::change_state(CircuitState to, Transitions& transitions) const {
  transitions.push_back({state_, to});
  state_ = to;
  ++generation_;
  trials_started_ = 0;
  trials_succeeded_ = 0;
  if (to == CircuitState::open) {
    opened_at_ = clock_.now();
    ++counters_.times_opened;
  }
  // Each closed period judges the server afresh.
  window_next_ = 0;
  window_count_ = 0;
  window_failures_ = 0;
}

void CircuitBreaker::record_in_window(bool failed) const {
  if (window_count_ == window_.size()) {
    if (window_[window_next_]) --window_failures_;
  } else {
    ++window_count_;
  }
  window_[window_next_] = failed;
  if (failed) ++window_failures_;
  window_next_ = (window_next_ + 1) % window_.size();
}

bool CircuitBreaker::failure_rate_reached() const noexcept {
  if (window_count_ < options_.minimum_calls || window_failures_ == 0) return false;
  return static_cast<double>(window_failures_) >= options_.failure_rate_threshold * static_cast<double>(window_count_);
}

void CircuitBreaker::notify(const Transitions& transitions) const {
  if (!options_.on_state_change) return;
  for (const Transition& transition : transitions) options_.on_state_change(transition.from, transition.to);
}

}  // namespace eventstore
