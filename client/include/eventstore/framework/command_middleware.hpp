// Middleware wraps every command the bus sends: logging, metrics, tracing,
// deadlines, idempotency, retries, or anything of your own. Each one gets the
// command (as a CommandInvocation) and `next`, the rest of the chain, which
// it calls zero times (to answer by itself), once, or more (to retry).
//
//   bus.use([](eventstore::CommandInvocation& command, const eventstore::NextStep& next) {
//     auto started = std::chrono::steady_clock::now();
//     auto result = next();
//     record(command.command_type, std::chrono::steady_clock::now() - started);
//     return result;
//   });
//
// Middleware runs in the order it was added: the first one added is the
// outermost. The innermost step validates the command and runs its handler.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <typeindex>

#include "eventstore/framework/command_context.hpp"
#include "eventstore/framework/command_error.hpp"
#include "eventstore/framework/command_outcome.hpp"

namespace eventstore {

// One command on its way through the bus.
struct CommandInvocation {
  // The command's name for logs and metrics: Command::command_type when the
  // type has one, else its C++ name without namespaces ("ShipOrder").
  std::string command_type;
  std::type_index type;
  // The command itself, of `type`.
  const void* command;
  // Filled in by the bus (command and correlation ids); middleware may change it.
  CommandContext context;

  // The command as `Command`; null when it is of another type.
  template <class Command>
  [[nodiscard]] const Command* command_as() const noexcept {
    return type == std::type_index{typeid(Command)} ? static_cast<const Command*>(command) : nullptr;
  }
};

namespace detail {
// The steps of a bus's chain, from a given middleware inwards.
class CommandChain {
 public:
  [[nodiscard]] virtual CommandResult<CommandOutcome> run_from(std::size_t step,
                                                               CommandInvocation& invocation) const = 0;

 protected:
  ~CommandChain() = default;
};
}  // namespace detail

// The rest of the chain, as a middleware sees it.
class NextStep {
 public:
  NextStep(const detail::CommandChain& chain, std::size_t step, CommandInvocation& invocation) noexcept
      : chain_(&chain), step_(step), invocation_(&invocation) {}

  // Runs the inner middleware and the handler; may be called again to retry.
  [[nodiscard]] CommandResult<CommandOutcome> operator()() const { return chain_->run_from(step_, *invocation_); }

 private:
  const detail::CommandChain* chain_;
  std::size_t step_;
  CommandInvocation* invocation_;
};

using CommandMiddleware = std::function<CommandResult<CommandOutcome>(CommandInvocation&, const NextStep&)>;

}  // namespace eventstore
