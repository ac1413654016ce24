// Sends each command to the one handler registered for its type, through
// the middleware, in two phases:
//
// 1. validate: the command's own `validate()` (if it has one) checks its
//    fields without I/O and returns every problem at once; a command with
//    problems fails with CommandError::invalid_command and is not executed;
// 2. execute: the handler loads, decides and saves, usually by one
//    Repository::update, while the command's CommandContext is current on
//    the thread (so the events carry its ids).
//
//   eventstore::CommandBus bus;
//   bus.use(eventstore::logging_middleware(eventstore::stream_logger(std::clog)));
//   bus.handle<ShipOrder>([&](const ShipOrder& command) {
//     return orders.update(command.order_id, [&](const Order& order) { return order.ship(command); });
//   });
//   auto outcome = bus.send(ShipOrder{"42", "DHL"});
//   if (!outcome) log(outcome.error().describe());
//
// A handler takes the command, or the command and its CommandContext, and
// returns CommandResult<CommandOutcome>. Register handlers and middleware
// before sending; send() may then be called from any number of threads.
#pragma once

#include <concepts>
#include <functional>
#include <string>
#include <type_traits>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "eventstore/framework/command_context.hpp"
#include "eventstore/framework/command_error.hpp"
#include "eventstore/framework/command_middleware.hpp"
#include "eventstore/framework/command_outcome.hpp"
#include "eventstore/framework/type_name.hpp"
#include "eventstore/framework/validation.hpp"

namespace eventstore {

// The name of a command type in logs and metrics: Command::command_type if
// it has one, else the C++ name without namespaces.
template <class Command>
[[nodiscard]] std::string command_type_name() {
  if constexpr (requires { Command::command_type; })
    return std::string{Command::command_type};
  else
    return unqualified_type_name(typeid(Command));
}

// A command type with a validation phase: `Validation validate() const`.
template <class Command>
concept SelfValidating = requires(const Command& command) {
  { command.validate() } -> std::convertible_to<Validation>;
};

class CommandBus final : private detail::CommandChain {
 public:
  CommandBus() = default;
  CommandBus(const CommandBus&) = delete;
  CommandBus& operator=(const CommandBus&) = delete;

  // Registers the handler of `Command`; a second registration replaces the first.
  template <class Command, class Handler>
  requires std::is_invocable_r_v<CommandResult<CommandOutcome>, Handler&, const Command&> ||
      std::is_invocable_r_v<CommandResult<CommandOutcome>, Handler&, const Command&, const CommandContext&> void handle(
          Handler handler) {
    HandlerEntry entry;
    entry.validate = [](const void* command) -> std::vector<ValidationError> {
      if constexpr (SelfValidating<Command>)
        return Validation{static_cast<const Command*>(command)->validate()}.take_errors();
      else
        return {};
    };
    entry.execute = [handler = std::move(handler)](
                        const void* command, const CommandContext& context) mutable -> CommandResult<CommandOutcome> {
      const auto& typed = *static_cast<const Command*>(command);
      if constexpr (std::is_invocable_v<Handler&, const Command&, const CommandContext&>)
        return std::invoke(handler, typed, context);
      else
        return std::invoke(handler, typed);
    };
    handlers_.insert_or_assign(std::type_index{typeid(Command)}, std::move(entry));
  }

  // Adds a middleware inside the ones added before it.
  void use(CommandMiddleware middleware);

  template <class Command>
  [[nodiscard]] bool handles() const {
    return handlers_.contains(std::type_index{typeid(Command)});
  }

  // Validates and executes `command` through the middleware. Empty ids of
  // `context` are filled in: a new command id, the command id as correlation id.
  template <class Command>
  [[nodiscard]] CommandResult<CommandOutcome> send(const Command& command, CommandContext context = {}) const {
    CommandInvocation invocation{command_type_name<Command>(), std::type_index{typeid(Command)}, &command,
                                 context.completed()};
    return run_from(0, invocation);
  }

 private:
  struct HandlerEntry {
    std::function<std::vector<ValidationError>(const void*)> validate;
    // Handlers are called from many threads at once; they must allow it.
    std::function<CommandResult<CommandOutcome>(const void*, const CommandContext&)> execute;
  };

  [[nodiscard]] CommandResult<CommandOutcome> run_from(std::size_t step, CommandInvocation& invocation) const override;
  [[nodiscard]] CommandResult<CommandOutcome> validate_and_execute(CommandInvocation& invocation) const;

  std::unordered_map<std::type_index, HandlerEntry> handlers_;
  std::vector<CommandMiddleware> middleware_;
};

}  // namespace eventstore
