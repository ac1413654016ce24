// The version of a stream: the 0-based number of its last event, -1 when the
// stream has no events.
#pragma once

#include <compare>
#include <cstdint>

namespace eventstore {

class StreamVersion {
 public:
  constexpr explicit StreamVersion(std::int64_t value) noexcept : value_(value) {}

  // The version of a stream that has no events.
  [[nodiscard]] static constexpr StreamVersion no_stream() noexcept { return StreamVersion{-1}; }

  [[nodiscard]] constexpr std::int64_t value() const noexcept { return value_; }
  [[nodiscard]] constexpr bool stream_exists() const noexcept { return value_ >= 0; }

  friend constexpr auto operator<=>(StreamVersion, StreamVersion) noexcept = default;

 private:
  std::int64_t value_;
};

}  // namespace eventstore
