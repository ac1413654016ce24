// The position of an event in the global log: unique, and increasing within
// the transaction that appended it. Positions alone are not a safe checkpoint
// (they are taken at insert and become visible at commit); see LogPosition.
#pragma once

#include <compare>
#include <cstdint>

namespace eventstore {

class GlobalPosition {
 public:
  constexpr explicit GlobalPosition(std::int64_t value) noexcept : value_(value) {}

  [[nodiscard]] constexpr std::int64_t value() const noexcept { return value_; }

  friend constexpr auto operator<=>(GlobalPosition, GlobalPosition) noexcept = default;

 private:
  std::int64_t value_;
};

}  // namespace eventstore
