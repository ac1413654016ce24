// The command bus: one handler per command type, validation before
// execution, the command's context filled in and current in the handler,
// and middleware in the order it was added.
#include "eventstore/framework/command_bus.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace eventstore {
namespace {

struct RenameCustomer {
  static constexpr std::string_view command_type = "customers.rename";
  std::string customer_id;
  std::string name;

  [[nodiscard]] Validation validate() const {
    Validation validation;
    validation.require(!customer_id.empty(), "customer_id", "must not be empty");
    validation.require(name.size() >= 2, "name", "must have at least two characters");
    return validation;
  }
};

struct Ping {};
struct Unhandled {};

TEST(CommandBus, SendsACommandToItsHandler) {
  CommandBus bus;
  std::string renamed;
  bus.handle<RenameCustomer>([&](const RenameCustomer& command) -> CommandResult<CommandOutcome> {
    renamed = command.name;
    return CommandOutcome{.stream = "customer-" + command.customer_id};
  });
  auto outcome = bus.send(RenameCustomer{"7", "Ada"});
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->stream, "customer-7");
  EXPECT_EQ(renamed, "Ada");
  EXPECT_TRUE(bus.handles<RenameCustomer>());
  EXPECT_FALSE(bus.handles<Ping>());
}

TEST(CommandBus, AnInvalidCommandReportsEveryProblemAndIsNotExecuted) {
  CommandBus bus;
  int executed = 0;
  bus.handle<RenameCustomer>([&](const RenameCustomer&) -> CommandResult<CommandOutcome> {
    ++executed;
    return CommandOutcome{};
  });
  auto outcome = bus.send(RenameCustomer{"", "A"});
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().kind(), CommandErrorKind::invalid_command);
  EXPECT_EQ(outcome.error().validation_errors(),
            (std::vector<ValidationError>{{"customer_id", "must not be empty"},
                                          {"name", "must have at least two characters"}}));
  EXPECT_EQ(outcome.error().message(), "customer_id: must not be empty; name: must have at least two characters");
  EXPECT_EQ(executed, 0);
}

TEST(CommandBus, ACommandWithoutAHandlerFails) {
  CommandBus bus;
  auto outcome = bus.send(Unhandled{});
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().kind(), CommandErrorKind::no_handler);
  EXPECT_NE(outcome.error().message().find("Unhandled"), std::string::npos) << outcome.error().message();
}

TEST(CommandBus, FillsInTheContextAndMakesItCurrentInTheHandler) {
  CommandBus bus;
  CommandContext seen;
  const CommandContext* current = nullptr;
  bus.handle<Ping>([&](const Ping&, const CommandContext& context) -> CommandResult<CommandOutcome> {
    seen = context;
    current = CommandContext::current();
    EXPECT_EQ(current, &context);
    return CommandOutcome{};
  });
  ASSERT_TRUE(bus.send(Ping{}));
  EXPECT_EQ(seen.command_id.size(), 36U);
  EXPECT_EQ(seen.correlation_id, seen.command_id);
  EXPECT_EQ(CommandContext::current(), nullptr);

  ASSERT_TRUE(bus.send(Ping{}, {.command_id = "mine", .correlation_id = "conversation", .causation_id = "event-1"}));
  EXPECT_EQ(seen.command_id, "mine");
  EXPECT_EQ(seen.correlation_id, "conversation");
  EXPECT_EQ(seen.causation_id, "event-1");
}

TEST(CommandBus, MiddlewareRunsOutsideInInTheOrderAdded) {
  CommandBus bus;
  std::vector<std::string> calls;
  auto named = [&](std::string name) {
    return [&calls, name](CommandInvocation& invocation, const NextStep& next) {
      calls.push_back(name + " before " + invocation.command_type);
      auto result = next();
      calls.push_back(name + " after");
      return result;
    };
  };
  bus.use(named("outer"));
  bus.use(named("inner"));
  bus.handle<RenameCustomer>([&](const RenameCustomer&) -> CommandResult<CommandOutcome> {
    calls.push_back("handler");
    return CommandOutcome{};
  });
  ASSERT_TRUE(bus.send(RenameCustomer{"7", "Ada"}));
  EXPECT_EQ(calls, (std::vector<std::string>{"outer before customers.rename", "inner before customers.rename",
                                             "handler", "inner after", "outer after"}));
}

TEST(CommandBus, MiddlewareCanAnswerItselfOrSeeTheCommand) {
  CommandBus bus;
  int executed = 0;
  bus.use([](CommandInvocation& invocation, const NextStep& next) -> CommandResult<CommandOutcome> {
    const auto* rename = invocation.command_as<RenameCustomer>();
    EXPECT_EQ(invocation.command_as<Ping>(), nullptr);
    if (rename != nullptr && rename->name == "blocked") return std::unexpected(CommandError::rejected(reject("no")));
    return next();
  });
  bus.handle<RenameCustomer>([&](const RenameCustomer&) -> CommandResult<CommandOutcome> {
    ++executed;
    return CommandOutcome{};
  });
  EXPECT_FALSE(bus.send(RenameCustomer{"7", "blocked"}));
  EXPECT_TRUE(bus.send(RenameCustomer{"7", "fine"}));
  EXPECT_EQ(executed, 1);
}

TEST(CommandBus, CommandTypesAreNamedWithoutNamespaces) {
  EXPECT_EQ(command_type_name<Ping>(), "Ping");
  EXPECT_EQ(command_type_name<RenameCustomer>(), "customers.rename");
}

}  // namespace
}  // namespace eventstore
