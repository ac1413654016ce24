// The name of a stream, checked once on construction with the rules the
// server applies (non-empty, at most 255 bytes, UTF-8 without control
// characters), so that a StreamName in hand is always one the server accepts.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "eventstore/store/result.hpp"

namespace eventstore {

namespace detail {
struct ServerValues;
}

class StreamName {
 public:
  // invalid_stream_name when the server would reject the name.
  [[nodiscard]] static Result<StreamName> from(std::string_view name);

  [[nodiscard]] const std::string& value() const noexcept { return value_; }
  // The name up to its first '-', or the whole name: "order-42" is in category "order".
  [[nodiscard]] std::string_view category() const noexcept;

  friend bool operator==(const StreamName&, const StreamName&) = default;
  friend auto operator<=>(const StreamName&, const StreamName&) = default;

 private:
  // Names read back from the server were checked when they were written.
  friend struct detail::ServerValues;
  explicit StreamName(std::string value) noexcept : value_(std::move(value)) {}

  std::string value_;
};

}  // namespace eventstore
