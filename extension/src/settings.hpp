// The extension's settings (GUCs), all under the reserved prefix "eventstore.".
#pragma once

namespace eventstore::settings {

// Largest data + metadata of one event, in bytes of stored jsonb.
extern int max_event_size;
// Most events one append or append_multi call may write.
extern int max_append_events;
// Snapshots kept per stream when save_snapshot prunes.
extern int snapshots_to_keep;
// Largest snapshot state, in bytes of stored jsonb.
extern int max_snapshot_size;
// What holds global-log readers back (log_fence.hpp): only appending
// transactions (when the registry is there), or every transaction of the database.
enum class LogFenceSource { appenders, transactions };
extern LogFenceSource log_fence_source;
// How long reclaim() keeps the ids of the events it deletes, in seconds.
extern int reclaimed_id_retention;
// Whether a transaction that appended wakes the readers sleeping in
// eventstore.wait_for_log when it ends (log_wakeup.hpp). Off: they notice
// at their next timeout (for measuring what the wake-up costs).
extern bool log_wakeups;
// Entry point (C symbol, or "*") whose guard throws on purpose; superuser only.
extern char* debug_fail_entry_point;

void define_all();

}  // namespace eventstore::settings
