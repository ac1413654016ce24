#include "eventstore/framework/middleware/deadline_middleware.hpp"

#include "eventstore/store/deadline.hpp"

namespace eventstore {

CommandMiddleware deadline_middleware(std::chrono::milliseconds time_limit) {
  return [time_limit](CommandInvocation&, const NextStep& next) {
    DeadlineScope scope{Deadline::clock::now() + time_limit};
    return next();
  };
}

}  // namespace eventstore
