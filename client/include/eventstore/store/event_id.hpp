// The id of an event: a UUID chosen by the client, so that a retried append
// with the same ids is recognised by the server and written only once.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "eventstore/store/result.hpp"

namespace eventstore {

class EventId {
 public:
  using Bytes = std::array<std::uint8_t, 16>;

  constexpr explicit EventId(const Bytes& bytes) noexcept : bytes_(bytes) {}

  // A new time-ordered id (UUID version 7): ids made in one process increase
  // strictly, so new events land at the right edge of the server's index.
  // Thread-safe.
  [[nodiscard]] static EventId generate();
  // The canonical form "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", any case;
  // invalid_argument otherwise.
  [[nodiscard]] static Result<EventId> parse(std::string_view text);

  [[nodiscard]] constexpr const Bytes& bytes() const noexcept { return bytes_; }
  // The canonical form in lower case.
  [[nodiscard]] std::string to_string() const;

  friend constexpr auto operator<=>(const EventId&, const EventId&) noexcept = default;

 private:
  Bytes bytes_;
};

}  // namespace eventstore

template <>
struct std::hash<eventstore::EventId> {
  [[nodiscard]] std::size_t operator()(const eventstore::EventId& id) const noexcept {
    // Version 7 ids keep their randomness in the last eight bytes.
    std::size_t hash = 0;
    for (std::size_t i = 8; i < 16; ++i) hash = (hash << 8) | id.bytes()[i];
    return hash;
  }
};
