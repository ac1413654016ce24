// Wake-ups for readers of the global log. When a transaction that appended
// ends (commit or abort), the fence may move and new events may show; it
// bumps its database's change counter and wakes the readers sleeping on it.
// A reader takes the counter before it reads, and after an empty page sleeps
// until the counter moves: an end after the counter was taken is never missed.
//
// Unlike NOTIFY, which takes one lock for every committer of the cluster,
// this costs a committer one atomic increment and, only when readers sleep,
// one condition-variable broadcast. It needs shared memory, so the library in
// shared_preload_libraries; without it readers poll.
#pragma once

#include "postgres.hpp"

namespace eventstore::pg {

// Asks for the counters' shared memory (from _PG_init while preloading).
void request_log_wakeups();

// Called when a transaction that took a log transaction ends.
void wake_log_readers();

}  // namespace eventstore::pg
