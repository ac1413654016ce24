// Time-ordered UUIDs (RFC 9562 version 7) for event ids: new ids land at the
// right edge of the unique index instead of on random pages. Within one
// generator ids are strictly increasing, also when the clock stands still or
// steps back (a 12-bit counter, then borrowing the next millisecond).
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace eventstore::core {

using UuidBytes = std::array<std::uint8_t, 16>;

class UuidV7Generator {
 public:
  // `random` supplies the 74 random bits (10 bytes are read).
  [[nodiscard]] UuidBytes next(std::uint64_t unix_milliseconds, std::span<const std::uint8_t, 10> random) noexcept;

 private:
  std::uint64_t last_milliseconds_ = 0;
  std::uint16_t counter_ = 0;
};

// Milliseconds stored in a version 7 UUID.
[[nodiscard]] std::uint64_t uuid_v7_milliseconds(const UuidBytes& uuid) noexcept;

}  // namespace eventstore::core
