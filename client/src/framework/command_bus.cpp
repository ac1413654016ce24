#include "eventstore/framework/command_bus.hpp"

namespace eventstore {

void CommandBus::use(CommandMiddleware middleware) { middleware_.push_back(std::move(middleware)); }

CommandResult<CommandOutcome> CommandBus::run_from(std::size_t step, CommandInvocation& invocation) const {
  if (step < middleware_.size()) return middleware_[step](invocation, NextStep{*this, step + 1, invocation});
  return validate_and_execute(invocation);
}

CommandResult<CommandOutcome> CommandBus::validate_and_execute(CommandInvocation& invocation) const {
  auto found = handlers_.find(invocation.type);
  if (found == handlers_.end()) return std::unexpected(CommandError::no_handler(invocation.command_type));
  const HandlerEntry& entry = found->second;
  if (auto problems = entry.validate(invocation.command); !problems.empty())
    return std::unexpected(CommandError::invalid_command(std::move(problems)));
  CommandContextScope scope{invocation.context};
  return entry.execute(invocation.command, invocation.context);
}

}  // namespace eventstore
