// The outcomes of recent commands by command id, so that a command sent
// again (a client retrying after a lost reply, a message delivered twice)
// gets the first outcome back instead of being executed twice.
//
// Kept are the outcomes that would come out the same again: successes,
// rejections and validation failures. Errors that may pass (store errors,
// timeouts) are not kept, so the same command id can try again. A command
// sent while the first one with its id still runs waits for it. The store is
// bounded: beyond `capacity` outcomes the oldest are forgotten. It lives in
// the process; use one per bus (or share one between buses that should
// deduplicate together). Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "eventstore/framework/command_error.hpp"
#include "eventstore/framework/command_outcome.hpp"

namespace eventstore {

class IdempotencyStore {
 public:
  explicit IdempotencyStore(std::size_t capacity = 10'000);
  IdempotencyStore(const IdempotencyStore&) = delete;
  IdempotencyStore& operator=(const IdempotencyStore&) = delete;

  // Runs `execute` unless a command with `command_id` ran before: then its
  // outcome, with CommandOutcome::repeated set. The same id used by another
  // command type is invalid_command (a sender's mistake, not a repeat).
  [[nodiscard]] CommandResult<CommandOutcome> run_once(std::string_view command_id, std::string_view command_type,
                                                       const std::function<CommandResult<CommandOutcome>()>& execute);

  // Outcomes kept now.
  [[nodiscard]] std::size_t size() const;
  // Commands answered with an earlier outcome.
  [[nodiscard]] std::uint64_t repeats() const;

 private:
  struct Entry {
    std::string command_type;
    // Empty while the first command with the id runs.
    std::optional<CommandResult<CommandOutcome>> result;
  };

  [[nodiscard]] static bool worth_keeping(const CommandResult<CommandOutcome>& result) noexcept;
  void finish(const std::string& command_id, const CommandResult<CommandOutcome>* result);

  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable finished_;
  std::unordered_map<std::string, Entry> entries_;
  // Ids with a kept outcome, oldest first.
  std::deque<std::string> kept_order_;
  std::uint64_t repeats_ = 0;
};

}  // namespace eventstore
