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

// Whether reads return the event in `slot`, a row of eventstore.events found
// by a scan: every read and reclaim() decide on the same two columns.
bool scanned_event_visible(const StreamVisibility* visibility, TupleTableSlot* slot);

}  // namespace eventstore::pg
