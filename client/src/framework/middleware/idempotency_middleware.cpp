#include "eventstore/framework/middleware/idempotency_middleware.hpp"

namespace eventstore {

CommandMiddleware idempotency_middleware(IdempotencyStore& store) {
  return [&store](CommandInvocation& invocation, const NextStep& next) {
    return store.run_once(invocation.context.command_id, invocation.command_type, [&] { return next(); });
  };
}

}  // namespace eventstore
