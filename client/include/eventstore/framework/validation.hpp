// The validation phase of a command: checks of the command's own fields,
// without I/O and before anything is loaded, that report every problem at
// once rather than the first one.
//
//   eventstore::Validation validate() const {          // a member of the command
//     eventstore::Validation validation;
//     validation.require(!order_id.empty(), "order_id", "must not be empty");
//     validation.require(quantity > 0, "quantity", "must be positive");
//     return validation;
//   }
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eventstore {

struct ValidationError {
  std::string field;
  std::string message;

  // "quantity: must be positive"
  [[nodiscard]] std::string describe() const { return field.empty() ? message : field + ": " + message; }

  friend bool operator==(const ValidationError&, const ValidationError&) = default;
};

class Validation {
 public:
  // Records `message` for `field` unless `condition` holds.
  Validation& require(bool condition, std::string_view field, std::string_view message) {
    if (!condition) errors_.push_back(ValidationError{std::string{field}, std::string{message}});
    return *this;
  }
  Validation& add(ValidationError error) {
    errors_.push_back(std::move(error));
    return *this;
  }

  [[nodiscard]] bool passed() const noexcept { return errors_.empty(); }
  [[nodiscard]] const std::vector<ValidationError>& errors() const noexcept { return errors_; }
  [[nodiscard]] std::vector<ValidationError> take_errors() noexcept { return std::move(errors_); }

 private:
  std::vector<ValidationError> errors_;
};

}  // namespace eventstore
