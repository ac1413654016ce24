// A deadline for everything a thread does on its behalf: while a
// DeadlineScope is alive, every call the client makes on this thread fails
// with ErrorCode::timeout once the deadline has passed, and sends the time
// left to the server as statement_timeout, so a slow statement is cancelled
// there too. Scopes nest; the earliest deadline wins.
#pragma once

#include <chrono>
#include <optional>

namespace eventstore {

using Deadline = std::chrono::steady_clock::time_point;

class DeadlineScope {
 public:
  explicit DeadlineScope(Deadline deadline) noexcept : previous_(current_) {
    current_ = previous_ && *previous_ < deadline ? *previous_ : deadline;
  }
  DeadlineScope(const DeadlineScope&) = delete;
  DeadlineScope& operator=(const DeadlineScope&) = delete;
  ~DeadlineScope() { current_ = previous_; }

  // The deadline of the innermost scope on this thread, if any.
  [[nodiscard]] static std::optional<Deadline> current() noexcept { return current_; }

 private:
  std::optional<Deadline> previous_;
  static inline thread_local std::optional<Deadline> current_{};
};

}  // namespace eventstore
