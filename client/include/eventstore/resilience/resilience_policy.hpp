// Retry, circuit breaker and bulkhead together around any call that returns
// a Result<T>, in the order that makes each of them useful:
//
//   retry( circuit_breaker( bulkhead( call ) ) )
//
// - The retry is outermost, so that a refusal of the breaker or the bulkhead
//   (circuit_open, bulkhead_full: both retryable) is retried after a pause
//   like any other passing trouble, and every attempt is judged by the breaker.
// - The bulkhead is innermost, so that a call holds a place only while it
//   runs, never during a retry's pause, and its refusals (local, not the
//   server's fault) never count as failures of the server.
//
// Each part is optional. The breaker and the bulkhead keep state about one
// server, so share them: copies of a policy share its parts.
//
//   auto policy = eventstore::ResiliencePolicy::standard();        // all three, default settings
//   auto page = policy.call([&] { return store.read_stream(stream); });
//
//   eventstore::ResiliencePolicy tuned{
//       .retry = std::make_shared<eventstore::Retry>(eventstore::RetryOptions{.max_attempts = 6}),
//       .circuit_breaker = std::make_shared<eventstore::CircuitBreaker>(),
//   };                                                              // no bulkhead
#pragma once

#include <functional>
#include <memory>

#include "eventstore/resilience/bulkhead.hpp"
#include "eventstore/resilience/circuit_breaker.hpp"
#include "eventstore/resilience/result_callable.hpp"
#include "eventstore/resilience/retry.hpp"

namespace eventstore {

struct ResiliencePolicy {
  std::shared_ptr<const Retry> retry{};
  std::shared_ptr<CircuitBreaker> circuit_breaker{};
  std::shared_ptr<Bulkhead> bulkhead{};

  // A retry, a circuit breaker and a bulkhead with their default settings, on `clock`.
  [[nodiscard]] static ResiliencePolicy standard(Clock& clock = Clock::system());

  template <ResultCallable Function>
  [[nodiscard]] CallResult<Function> call(Function&& function) const {
    auto guarded = [&]() -> CallResult<Function> {
      if (circuit_breaker) return circuit_breaker->call([&] { return through_bulkhead(function); });
      return through_bulkhead(function);
    };
    if (retry) return retry->call(guarded);
    return guarded();
  }

 private:
  template <class Function>
  [[nodiscard]] CallResult<Function> through_bulkhead(Function& function) const {
    if (bulkhead) return bulkhead->call(function);
    return std::invoke(function);
  }
};

}  // namespace eventstore
