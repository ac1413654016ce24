#include "eventstore/framework/command_error.hpp"

#include <utility>

namespace eventstore {

std::string_view to_string(CommandErrorKind kind) noexcept {
  switch (kind) {
    case CommandErrorKind::rejected: return "rejected";
    case CommandErrorKind::invalid_command: return "invalid_command";
    case CommandErrorKind::store_error: return "store_error";
    case CommandErrorKind::event_type_not_registered: return "event_type_not_registered";
    case CommandErrorKind::event_not_readable: return "event_not_readable";
    case CommandErrorKind::no_handler: return "no_handler";
  }
  return "unknown";
}

CommandError CommandError::rejected(Rejection rejection) {
  return CommandError{CommandErrorKind::rejected, std::move(rejection.reason)};
}

CommandError CommandError::invalid_command(std::vector<ValidationError> errors) {
  std::string message;
  for (const auto& error : errors) {
    if (!message.empty()) message += "; ";
    message += error.describe();
  }
  CommandError command_error{CommandErrorKind::invalid_command, std::move(message)};
  command_error.validation_errors_ = std::move(errors);
  return command_error;
}

CommandError CommandError::store_error(Error error, bool outcome_unknown) {
  CommandError command_error{CommandErrorKind::store_error, error.describe()};
  command_error.store_error_ = std::move(error);
  command_error.outcome_unknown_ = outcome_unknown;
  return command_error;
}

CommandError CommandError::event_type_not_registered(std::string message) {
  return CommandError{CommandErrorKind::event_type_not_registered, std::move(message)};
}

CommandError CommandError::event_not_readable(std::string message) {
  return CommandError{CommandErrorKind::event_not_readable, std::move(message)};
}

CommandError CommandError::no_handler(std::string_view command_type) {
  return CommandError{CommandErrorKind::no_handler,
                      "no handler is registered for commands of type " + std::string{command_type}};
}

bool CommandError::retryable() const noexcept {
  return kind_ == CommandErrorKind::store_error && store_error_ && store_error_->retryable();
}

std::string CommandError::describe() const {
  std::string line{to_string(kind_)};
  line += ": ";
  line += message_;
  if (outcome_unknown_) line += " (the events may have been written)";
  return line;
}

}  // namespace eventstore
