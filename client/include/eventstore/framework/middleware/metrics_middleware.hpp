// Middleware that records every command into CommandMetrics: its outcome
// (succeeded, rejected, invalid, failed, repeated), the conflicts it went
// through, the events it appended, and how long it took.
#pragma once

#include "eventstore/framework/command_metrics.hpp"
#include "eventstore/framework/command_middleware.hpp"

namespace eventstore {

// `metrics` must outlive the bus.
[[nodiscard]] CommandMiddleware metrics_middleware(CommandMetrics& metrics);

}  // namespace eventstore
