// Direct access to eventstore.snapshots: store a snapshot, prune a stream's
// old ones, and find the newest of one state schema version.
#pragma once

#include "postgres.hpp"

#include "direct_table.hpp"

namespace eventstore::pg {

// Column numbers of eventstore.snapshots (1-based, as in the catalog).
enum SnapshotColumn : AttrNumber {
  snapshot_column_stream_id = 1,
  snapshot_column_state_schema_version,
  snapshot_column_version,
  snapshot_column_created_at,
  snapshot_column_state,
  snapshot_column_count = snapshot_column_state,
};

// Stores (or replaces) the snapshot of the stream at `version`, then deletes
// the stream's snapshots beyond the newest `keep` (by version).
void store_snapshot(int64 stream_id, int32 state_schema_version, int64 version, Datum state, int32 keep);

struct FoundSnapshot {
  int64 version;
  TimestampTz created_at;
  Datum state;  // jsonb, palloc'd
};

// The newest snapshot of the stream in the given state schema version; false
// when there is none.
bool find_newest_snapshot(int64 stream_id, int32 state_schema_version, Snapshot snapshot, FoundSnapshot* found);

}  // namespace eventstore::pg
