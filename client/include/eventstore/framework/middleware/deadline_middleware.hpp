// Middleware that gives every command a time limit: the rest of the chain
// (retries included, when the retry middleware comes after this one) runs in
// a DeadlineScope, so every store call of the handler fails with timeout once
// it has passed and the server cancels statements that would outlive it. An
// enclosing DeadlineScope of the sender that ends earlier still wins.
#pragma once

#include <chrono>

#include "eventstore/framework/command_middleware.hpp"

namespace eventstore {

[[nodiscard]] CommandMiddleware deadline_middleware(std::chrono::milliseconds time_limit);

}  // namespace eventstore
