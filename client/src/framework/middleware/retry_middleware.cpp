#include "eventstore/framework/middleware/retry_middleware.hpp"

#include <optional>
#include <utility>

namespace eventstore {

CommandMiddleware retry_middleware(std::shared_ptr<const Retry> retry) {
  return [retry = std::move(retry)](CommandInvocation&, const NextStep& next) -> CommandResult<CommandOutcome> {
    std::optional<CommandResult<CommandOutcome>> last;
    // Retry works on Result<T>: a command error worth retrying travels as its
    // store Error, anything else as a value that ends the attempts.
    auto attempt = [&]() -> Result<bool> {
      last = next();
      const bool worth_retrying = !*last && last->error().retryable() && !last->error().outcome_unknown();
      if (worth_retrying) return std::unexpected(*last->error().store_error());
      return true;
    };
    (void)retry->call(attempt);
    return std::move(*last);
  };
}

CommandMiddleware retry_middleware(RetryOptions options) {
  return retry_middleware(std::make_shared<const Retry>(std::move(options)));
}

}  // namespace eventstore
