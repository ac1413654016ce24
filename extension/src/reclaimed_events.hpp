// The ledger of reclaimed event ids (eventstore.reclaimed_events, from release
// 0.3): reclaim() records each event it deletes (its id, stream, version,
// position and log transaction), so that an append retried after its events
// were reclaimed is still recognised as the same append and returns its
// original result instead of writing the events a second time. Entries are
// kept for eventstore.reclaimed_id_retention and purged by reclaim().
#pragma once

#include "postgres.hpp"

#include "direct_table.hpp"

namespace eventstore::pg {

struct ReclaimLedger {
  bool present;  // false for a database on a version without the ledger
  DirectTable table;
  TupleTableSlot* row;
};

void open_reclaim_ledger(ReclaimLedger* ledger, EState* estate);
void close_reclaim_ledger(ReclaimLedger* ledger);

// Records the event in `event` (a slot of eventstore.events) as reclaimed now.
void record_reclaimed_event(ReclaimLedger* ledger, TupleTableSlot* event);

// Deletes the entries older than the retention; returns how many.
int64 purge_reclaim_ledger(ReclaimLedger* ledger, Snapshot snapshot);

struct ReclaimedEvent {
  int64 stream_id;
  int64 version;
  int64 position;
};

// The reclaimed event with this id, if the ledger has it.
bool find_reclaimed_event(Datum event_id, Snapshot snapshot, ReclaimedEvent* found);

}  // namespace eventstore::pg
