#include "eventstore/core/uuid_v7.hpp"

namespace eventstore::core {

namespace {
constexpr std::uint16_t counter_max = 0x0FFF;
}

UuidBytes UuidV7Generator::next(std::uint64_t unix_milliseconds, std::span<const std::uint8_t, 10> random) noexcept {
  if (unix_milliseconds > last_milliseconds_) {
    last_milliseconds_ = unix_milliseconds;
    // Start low in the millisecond so that many ids fit before it runs out.
    counter_ = static_cast<std::uint16_t>(((random[0] << 8) | random[1]) & 0x01FF);
  } else if (counter_ < counter_max) {
    ++counter_;
  } else {
    ++last_milliseconds_;
    counter_ = 0;
  }

  UuidBytes uuid{};
  for (int i = 0; i < 6; ++i) uuid[i] = static_cast<std::uint8_t>(last_milliseconds_ >> (40 - 8 * i));
  uuid[6] = static_cast<std::uint8_t>(0x70 | (counter_ >> 8));
  uuid[7] = static_cast<std::uint8_t>(counter_ & 0xFF);
  uuid[8] = static_cast<std::uint8_t>(0x80 | (random[2] & 0x3F));
  for (int i = 9; i < 16; ++i) uuid[i] = random[i - 6];
  return uuid;
}

std::uint64_t uuid_v7_milliseconds(const UuidBytes& uuid) noexcept {
  std::uint64_t milliseconds = 0;
  for (int i = 0; i < 6; ++i) milliseconds = (milliseconds << 8) | uuid[i];
  return milliseconds;
}

}  // namespace eventstore::core
