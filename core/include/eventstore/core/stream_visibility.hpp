// Which versions of a stream reads return, given its lifecycle: a soft delete
// hides every event written before it, truncate-before hides the versions
// below it, and max_count keeps only the newest events. (max_age is a time
// rule and is applied per event by the reader.) Pure arithmetic, shared by
// every read and by reclamation, which deletes exactly what reads hide.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

namespace eventstore::core {

struct StreamLifecycle {
  bool deleted = false;
  bool tombstoned = false;
  std::int64_t truncate_before = 0;
  std::optional<std::int64_t> max_count{};
};

// The lowest version reads return; every version below it is hidden. Above the
// stream's version when nothing is visible.
[[nodiscard]] constexpr std::int64_t first_visible_version(std::int64_t stream_version,
                                                           const StreamLifecycle& lifecycle) noexcept {
  if (lifecycle.deleted || lifecycle.tombstoned) return stream_version + 1;
  std::int64_t first = std::max<std::int64_t>(lifecycle.truncate_before, 0);
  if (lifecycle.max_count) first = std::max(first, stream_version - *lifecycle.max_count + 1);
  return first;
}

// Whether reclamation can have deleted some of the stream's events: only then
// is an append to it worth checking against the ledger of reclaimed ids.
[[nodiscard]] constexpr bool may_have_reclaimed_events(const StreamLifecycle& lifecycle, bool has_max_age) noexcept {
  return lifecycle.deleted || lifecycle.truncate_before > 0 || lifecycle.max_count.has_value() || has_max_age;
}

}  // namespace eventstore::core
