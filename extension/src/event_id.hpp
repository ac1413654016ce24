// New event ids made in the backend: time-ordered UUIDs (version 7), for
// events appended without an id and for eventstore.new_event_id().
#pragma once

#include "postgres.hpp"

namespace eventstore::pg {

// A palloc'd uuid Datum.
Datum new_event_id();

}  // namespace eventstore::pg
