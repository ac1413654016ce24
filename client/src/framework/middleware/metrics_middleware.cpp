#include "eventstore/framework/middleware/metrics_middleware.hpp"

#include <chrono>

namespace eventstore {

CommandMiddleware metrics_middleware(CommandMetrics& metrics) {
  return [&metrics](CommandInvocation& invocation, const NextStep& next) {
    auto started = std::chrono::steady_clock::now();
    auto result = next();
    metrics.record(invocation.command_type, result,
                   std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started));
    return result;
  };
}

}  // namespace eventstore
