// When the repository saves a snapshot of an aggregate: after the save that
// brings the stream `every_events` or more events past the snapshot it was
// loaded from (or past its start, when it had none). Saving a snapshot costs
// one more round trip on that save; loading then reads the snapshot and only
// the events after it.
#pragma once

#include <cstdint>

namespace eventstore {

struct SnapshotPolicy {
  // 0: never.
  std::int64_t every_events = 0;

  [[nodiscard]] constexpr bool enabled() const noexcept { return every_events > 0; }
};

[[nodiscard]] constexpr SnapshotPolicy snapshot_every(std::int64_t events) noexcept { return SnapshotPolicy{events}; }
[[nodiscard]] constexpr SnapshotPolicy no_snapshots() noexcept { return SnapshotPolicy{0}; }

}  // namespace eventstore
