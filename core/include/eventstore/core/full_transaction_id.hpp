// Widening a 32-bit transaction id to the 64-bit (epoch, xid) form that xid8
// columns store, relative to the next transaction id to be assigned: a live
// xid is never more than one epoch behind it. Getting this wrong at the epoch
// boundary would move a reader's fence by 2^32 transactions.
#pragma once

#include <cstdint>

namespace eventstore::core {

[[nodiscard]] constexpr std::uint64_t widen_transaction_id(std::uint32_t xid, std::uint64_t next_full_xid) noexcept {
  auto next_xid = static_cast<std::uint32_t>(next_full_xid);
  auto epoch = static_cast<std::uint32_t>(next_full_xid >> 32);
  // Ids 0-2 are special and belong to no epoch.
  if (xid < 3) return xid;
  if (xid > next_xid) --epoch;
  return (static_cast<std::uint64_t>(epoch) << 32) | xid;
}

}  // namespace eventstore::core
