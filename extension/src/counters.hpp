// Appends, events and wrong-expected-version conflicts since the server
// started, for eventstore.stats(): atomic counters in shared memory, which
// exist only when the library is in shared_preload_libraries (PostgreSQL
// hands out shared memory at start-up only). Without it they are not kept and
// stats() shows NULL.
#pragma once

#include "postgres.hpp"

namespace eventstore::pg {

// Called from _PG_init while shared_preload_libraries is being processed.
void request_counters();

void count_append(int64 events);
void count_conflict();

}  // namespace eventstore::pg
