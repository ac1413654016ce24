// Middleware that records every query into QueryMetrics: its outcome
// (answered, from the cache, not modified, not found, stale, failed) and how
// long it took.
#pragma once

#include "eventstore/queries/query_metrics.hpp"
#include "eventstore/queries/query_middleware.hpp"

namespace eventstore {

// `metrics` must outlive the bus.
[[nodiscard]] QueryMiddleware query_metrics_middleware(QueryMetrics& metrics);

}  // namespace eventstore
