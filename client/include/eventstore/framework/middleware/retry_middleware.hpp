// Middleware that sends a command again when it failed with an error that
// may pass (a lost connection, a timeout, a full pool, an open circuit ...),
// with the backoff, jitter, attempt and time limits of an eventstore::Retry.
// Each attempt runs the rest of the chain: load, decide and append again.
//
// Not retried: rejections, validation failures, conflicts that outlasted the
// repository's own conflict retries, and an append whose outcome is unknown
// (CommandError::outcome_unknown: its events may have been written, and
// deciding again could write them twice; retry the append itself with the
// same events instead, e.g. through ResilientEventStore).
#pragma once

#include <memory>

#include "eventstore/framework/command_middleware.hpp"
#include "eventstore/resilience/retry.hpp"

namespace eventstore {

[[nodiscard]] CommandMiddleware retry_middleware(std::shared_ptr<const Retry> retry);
[[nodiscard]] CommandMiddleware retry_middleware(RetryOptions options = {});

}  // namespace eventstore
