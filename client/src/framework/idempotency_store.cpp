#include "eventstore/framework/idempotency_store.hpp"

#include <algorithm>

namespace eventstore {

IdempotencyStore::IdempotencyStore(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

bool IdempotencyStore::worth_keeping(const CommandResult<CommandOutcome>& result) noexcept {
  if (result) return true;
  auto kind = result.error().kind();
  return kind == CommandErrorKind::rejected || kind == CommandErrorKind::invalid_command;
}

CommandResult<CommandOutcome> IdempotencyStore::run_once(
    std::string_view command_id, std::string_view command_type,
    const std::function<CommandResult<CommandOutcome>()>& execute) {
  std::string id{command_id};
  {
    std::unique_lock lock{mutex_};
    for (;;) {
      auto found = entries_.find(id);
      if (found == entries_.end()) {
        entries_.emplace(id, Entry{std::string{command_type}, std::nullopt});
        break;
      }
      if (found->second.command_type != command_type)
        return std::unexpected(CommandError::invalid_command(
            {ValidationError{"command_id", "is already used by a command of type " + found->second.command_type}}));
      if (found->second.result) {
        ++repeats_;
        CommandResult<CommandOutcome> earlier = *found->second.result;
        if (earlier) earlier->repeated = true;
        return earlier;
      }
      finished_.wait(lock);
    }
  }
  // The first command with this id. The outcome is recorded before it is
  // returned (it may be moved from afterwards); if `execute` throws, the id is
  // released so that the waiters can run it.
  CommandResult<CommandOutcome> result = [&] {
    try {
      return execute();
    } catch (...) {
      finish(id, nullptr);
      throw;
    }
  }();
  finish(id, &result);
  return result;
}

void IdempotencyStore::finish(const std::string& command_id, const CommandResult<CommandOutcome>* result) {
  {
    std::lock_guard lock{mutex_};
    if (result == nullptr || !worth_keeping(*result)) {
      entries_.erase(command_id);
    } else {
      entries_[command_id].result = *result;
      kept_order_.push_back(command_id);
      while (kept_order_.size() > capacity_) {
        entries_.erase(kept_order_.front());
        kept_order_.pop_front();
      }
    }
  }
  finished_.notify_all();
}

std::size_t IdempotencyStore::size() const {
  std::lock_guard lock{mutex_};
  return kept_order_.size();
}

std::uint64_t IdempotencyStore::repeats() const {
  std::lock_guard lock{mutex_};
  return repeats_;
}

}  // namespace eventstore
