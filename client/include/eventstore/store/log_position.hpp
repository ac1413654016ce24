// A checkpoint in the global log. The log is ordered by (transaction_id,
// position) and read only below the oldest transaction still in flight, so a
// reader that resumes after a LogPosition never skips an event that commits
// later with a lower position, and never sees one twice.
#pragma once

#include <compare>
#include <cstdint>

#include "eventstore/store/global_position.hpp"

namespace eventstore {

struct LogPosition {
  // The 64-bit id (xid8) of the transaction that appended the event.
  std::uint64_t transaction_id = 0;
  GlobalPosition position{0};

  friend constexpr auto operator<=>(const LogPosition&, const LogPosition&) noexcept = default;
};

}  // namespace eventstore
