#include "eventstore/resilience/resilience_policy.hpp"

namespace eventstore {

ResiliencePolicy ResiliencePolicy::standard(Clock& clock) {
  return ResiliencePolicy{
      .retry = std::make_shared<const Retry>(RetryOptions{}, clock),
      .circuit_breaker = std::make_shared<CircuitBreaker>(CircuitBreakerOptions{}, clock),
      .bulkhead = std::make_shared<Bulkhead>(BulkheadOptions{}, clock),
  };
}

}  // namespace eventstore
