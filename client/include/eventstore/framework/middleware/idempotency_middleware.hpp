// Middleware that executes each command id once: a command whose id was seen
// before gets the first outcome back (see IdempotencyStore). Put it inside
// logging and metrics (so repeats are seen and counted) and outside the
// deadline and retry middleware (so a repeat costs nothing).
#pragma once

#include "eventstore/framework/command_middleware.hpp"
#include "eventstore/framework/idempotency_store.hpp"

namespace eventstore {

// `store` must outlive the bus.
[[nodiscard]] CommandMiddleware idempotency_middleware(IdempotencyStore& store);

}  // namespace eventstore
