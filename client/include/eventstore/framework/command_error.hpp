// Why a command did not succeed. The command side (event type registry,
// repository, command bus) fails with a CommandError, which is one of:
//
// - rejected: a business rule refused the command (the aggregate's reject());
// - invalid_command: the command's own validation failed, with every problem;
// - store_error: the event store or snapshot store failed, with its Error
//   (retryable() as the store says; wrong_expected_version once the conflict
//   retries ran out);
// - event_type_not_registered: an event type the code uses has no entry in
//   the EventTypeRegistry;
// - event_not_readable: a stored event or snapshot could not be turned into
//   its C++ type (an unknown type in the stream, a missing upcaster, JSON of
//   another shape);
// - no_handler: the bus has no handler for the command's type.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/framework/decision.hpp"
#include "eventstore/framework/validation.hpp"
#include "eventstore/store/error.hpp"

namespace eventstore {

enum class CommandErrorKind {
  rejected,
  invalid_command,
  store_error,
  event_type_not_registered,
  event_not_readable,
  no_handler,
};

// The enumerator's name, e.g. "rejected".
[[nodiscard]] std::string_view to_string(CommandErrorKind kind) noexcept;

class CommandError {
 public:
  [[nodiscard]] static CommandError rejected(Rejection rejection);
  [[nodiscard]] static CommandError invalid_command(std::vector<ValidationError> errors);
  // `outcome_unknown`: the error came from an append whose events may or may
  // not have been written (e.g. the connection was lost before the reply).
  [[nodiscard]] static CommandError store_error(Error error, bool outcome_unknown = false);
  [[nodiscard]] static CommandError event_type_not_registered(std::string message);
  [[nodiscard]] static CommandError event_not_readable(std::string message);
  [[nodiscard]] static CommandError no_handler(std::string_view command_type);

  [[nodiscard]] CommandErrorKind kind() const noexcept { return kind_; }
  // The rejection's reason, the validation errors joined, the store's message ...
  [[nodiscard]] const std::string& message() const noexcept { return message_; }
  // For invalid_command: every problem the validation found.
  [[nodiscard]] const std::vector<ValidationError>& validation_errors() const noexcept { return validation_errors_; }
  // For store_error: what the store reported.
  [[nodiscard]] const std::optional<Error>& store_error() const noexcept { return store_error_; }
  // For store_error: the append may have written the events even though it
  // failed. Running the command again could then apply it twice, so the
  // retry middleware leaves such errors alone (retrying the append itself,
  // with the same events, is safe; ResilientEventStore does that).
  [[nodiscard]] bool outcome_unknown() const noexcept { return outcome_unknown_; }
  // Whether sending the same command again may succeed: only for store
  // errors the store calls retryable.
  [[nodiscard]] bool retryable() const noexcept;
  // One line for logs: "rejected: order already shipped".
  [[nodiscard]] std::string describe() const;

 private:
  CommandError(CommandErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

  CommandErrorKind kind_;
  std::string message_;
  std::vector<ValidationError> validation_errors_;
  std::optional<Error> store_error_;
  bool outcome_unknown_ = false;
};

// The return type of everything on the command side that can fail.
template <class T>
using CommandResult = std::expected<T, CommandError>;

}  // namespace eventstore
