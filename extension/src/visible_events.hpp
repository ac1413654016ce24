// What reads of a stream return, from its lifecycle: the versions below
// first_version are hidden (truncate-before, max_count, a soft delete), and
// with max_age so are the events appended before oldest_visible.
#pragma once

#include "postgres.hpp"

#include "stream_table.hpp"

namespace eventstore::pg {

struct StreamVisibility {
  int64 first_version;
  bool has_age_limit;
  TimestampTz oldest_visible;
};

StreamVisibility stream_visibility(const StreamState* stream);

// Whether reads return the event at `version` appended at `created_at`.
inline bool event_visible(const StreamVisibility* visibility, int64 version, TimestampTz created_at) {
  return version >= visibility->first_version &&
         (!visibility->has_age_limit || created_at >= visibility->oldest_visible);
}

}  // namespace eventstore::pg
