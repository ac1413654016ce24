#include "eventstore/queries/middleware/query_metrics_middleware.hpp"

#include <chrono>

namespace eventstore {

QueryMiddleware query_metrics_middleware(QueryMetrics& metrics) {
  return [&metrics](QueryInvocation& invocation, const NextQueryStep& next) {
    auto started = std::chrono::steady_clock::now();
    auto result = next();
    metrics.record(invocation.query_type, result, invocation.options.if_none_match,
                   std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started));
    return result;
  };
}

}  // namespace eventstore
