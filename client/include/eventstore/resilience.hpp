// Resilience: retry with jittered backoff, circuit breaker, bulkhead, and an
// EventStore decorator that sends every call through a ResiliencePolicy.
#pragma once

#include "eventstore/resilience/bulkhead.hpp"
#include "eventstore/resilience/circuit_breaker.hpp"
#include "eventstore/resilience/resilience_policy.hpp"
#include "eventstore/resilience/resilient_event_store.hpp"
#include "eventstore/resilience/result_callable.hpp"
#include "eventstore/resilience/retry.hpp"
