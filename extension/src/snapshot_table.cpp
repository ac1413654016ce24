// Direct access to eventstore.snapshots (the table this module owns). Savers
// of one stream's snapshots take turns on a short lock, and wait for a saver
// that has not committed yet, so two saves of the same snapshot do not both
// insert it.
#include "snapshot_table.hpp"

#include <algorithm>

#include "catalog.hpp"

namespace eventstore::pg {
namespace {

const Oid snapshot_column_types[snapshot_column_count] = {INT8OID, INT4OID, INT8OID, TIMESTAMPTZOID, JSONBOID};

// Tags the snapshot savers' locks among advisory locks (objsubid in pg_locks).
constexpr uint16 snapshot_lock_class = 0x5353;

void snapshot_lock_tag(LOCKTAG* tag, int64 stream_id) {
  auto id = static_cast<uint64>(stream_id);
  SET_LOCKTAG_ADVISORY(*tag, MyDatabaseId, static_cast<uint32>(id >> 32), static_cast<uint32>(id), snapshot_lock_class);
}

// Scans the stream's snapshots (of one state schema version, or of all when
// `state_schema_version` is null) in key order.
IndexScanDesc begin_snapshot_scan(Relation heap, Relation index, int64 stream_id, const int32* state_schema_version,
                                  Snapshot snapshot) {
  ScanKeyData keys[2];
  int key_count = 0;
  ScanKeyInit(&keys[key_count++], 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(stream_id));
  if (state_schema_version != nullptr)
    ScanKeyInit(&keys[key_count++], 2, BTEqualStrategyNumber, F_INT4EQ, Int32GetDatum(*state_schema_version));
  IndexScanDesc scan = index_beginscan(heap, index, snapshot, key_count, 0);
  index_rescan(scan, keys, key_count, nullptr, 0);
  return scan;
}

struct StoredSnapshot {
  ItemPointerData tid;
  int64 version;
  int32 state_schema_version;
  bool just_saved;
};

// Keeps the snapshot just saved and the newest others (by version, then state
// schema version), `keep` in all; deletes the rest.
void prune(DirectTable* table, Relation index, int64 stream_id, int32 keep, int32 saved_schema_version,
           int64 saved_version, Snapshot snapshot) {
  TupleTableSlot* slot = table_slot_create(table->relation, nullptr);
  IndexScanDesc scan = begin_snapshot_scan(table->relation, index, stream_id, nullptr, snapshot);
  int capacity = 16;
  int count = 0;
  auto* stored = static_cast<StoredSnapshot*>(palloc(sizeof(StoredSnapshot) * capacity));
  while (index_getnext_slot(scan, ForwardScanDirection, slot)) {
    if (count == capacity) {
      capacity *= 2;
      stored = static_cast<StoredSnapshot*>(repalloc(stored, sizeof(StoredSnapshot) * capacity));
    }
    bool is_null;
    stored[count].tid = slot->tts_tid;
    stored[count].version = DatumGetInt64(slot_getattr(slot, snapshot_column_version, &is_null));
    stored[count].state_schema_version =
        DatumGetInt32(slot_getattr(slot, snapshot_column_state_schema_version, &is_null));
    stored[count].just_saved =
        stored[count].version == saved_version && stored[count].state_schema_version == saved_schema_version;
    ++count;
  }
  index_endscan(scan);
  ExecDropSingleTupleTableSlot(slot);
  if (count <= keep) return;
  std::sort(stored, stored + count, [](const StoredSnapshot& a, const StoredSnapshot& b) {
    if (a.just_saved != b.just_saved) return a.just_saved;
    if (a.version != b.version) return a.version > b.version;
    return a.state_schema_version > b.state_schema_version;
  });
  for (int i = keep; i < count; ++i) {
    TM_FailureData failure;
    // Another saver may have pruned it already; that is the same outcome.
    TM_Result result = table_tuple_delete(table->relation, &stored[i].tid, GetCurrentCommandId(true), snapshot,
                                          InvalidSnapshot, true, &failure, false);
    if (result != TM_Ok && result != TM_Deleted && result != TM_Updated)
      elog(ERROR, "unexpected result %d deleting a row of eventstore.snapshots", static_cast<int>(result));
  }
}

}  // namespace

void store_snapshot(int64 stream_id, int32 state_schema_version, int64 version, Datum state, int32 keep) {
  const SnapshotCatalog& catalog = snapshot_catalog();
  EState* estate = CreateExecutorState();
  DirectTable table;
  open_direct_table(&table, catalog.snapshots, snapshot_column_types, snapshot_column_count, snapshot_column_count,
                    estate);
  Relation index = direct_table_index(&table, catalog.snapshots_pkey);
  TupleTableSlot* found = table_slot_create(table.relation, nullptr);
  TupleTableSlot* row = MakeSingleTupleTableSlot(RelationGetDescr(table.relation), &TTSOpsVirtual);

  LOCKTAG lock;
  snapshot_lock_tag(&lock, stream_id);
  for (;;) {
    (void)LockAcquire(&lock, ExclusiveLock, false, false);
    SnapshotData dirty;
    InitDirtySnapshot(dirty);
    IndexScanDesc scan = begin_snapshot_scan(table.relation, index, stream_id, &state_schema_version, &dirty);
    bool exists = false;
    while (!exists && index_getnext_slot(scan, ForwardScanDirection, found)) {
      bool is_null;
      exists = DatumGetInt64(slot_getattr(found, snapshot_column_version, &is_null)) == version;
    }
    index_endscan(scan);
    TransactionId saver = exists ? dirty.xmin : InvalidTransactionId;
    if (!TransactionIdIsValid(saver)) break;
    // Another transaction is saving this very snapshot: wait for its outcome.
    LockRelease(&lock, ExclusiveLock, false);
    XactLockTableWait(saver, table.relation, &found->tts_tid, XLTW_None);
  }

  Snapshot latest = RegisterSnapshot(GetLatestSnapshot());
  ExecClearTuple(row);
  row->tts_values[snapshot_column_stream_id - 1] = Int64GetDatum(stream_id);
  row->tts_values[snapshot_column_state_schema_version - 1] = Int32GetDatum(state_schema_version);
  row->tts_values[snapshot_column_version - 1] = Int64GetDatum(version);
  row->tts_values[snapshot_column_created_at - 1] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
  row->tts_values[snapshot_column_state - 1] = state;
  memset(row->tts_isnull, 0, sizeof(bool) * snapshot_column_count);
  ExecStoreVirtualTuple(row);

  // Look again under the lock with a current snapshot: replace, or insert.
  IndexScanDesc scan = begin_snapshot_scan(table.relation, index, stream_id, &state_schema_version, latest);
  bool replaced = false;
  while (!replaced && index_getnext_slot(scan, ForwardScanDirection, found)) {
    bool is_null;
    if (DatumGetInt64(slot_getattr(found, snapshot_column_version, &is_null)) != version) continue;
    bool update_indexes = false;
    simple_table_tuple_update(table.relation, &found->tts_tid, row, latest, &update_indexes);
    if (update_indexes) insert_index_entries(&table, row);
    replaced = true;
  }
  index_endscan(scan);
  if (!replaced) {
    table_tuple_insert(table.relation, row, GetCurrentCommandId(true), 0, nullptr);
    insert_index_entries(&table, row);
  }
  CommandCounterIncrement();
  UnregisterSnapshot(latest);
  latest = RegisterSnapshot(GetLatestSnapshot());
  prune(&table, index, stream_id, keep, state_schema_version, version, latest);
  UnregisterSnapshot(latest);
  LockRelease(&lock, ExclusiveLock, false);

  ExecDropSingleTupleTableSlot(found);
  ExecDropSingleTupleTableSlot(row);
  close_direct_table(&table);
  FreeExecutorState(estate);
  CommandCounterIncrement();
}

bool find_newest_snapshot(int64 stream_id, int32 state_schema_version, Snapshot snapshot, FoundSnapshot* found) {
  const SnapshotCatalog& catalog = snapshot_catalog();
  Relation heap = open_store_table(catalog.snapshots, AccessShareLock);
  Relation index = index_open(catalog.snapshots_pkey, AccessShareLock);
  TupleTableSlot* slot = table_slot_create(heap, nullptr);
  IndexScanDesc scan = begin_snapshot_scan(heap, index, stream_id, &state_schema_version, snapshot);
  bool exists = index_getnext_slot(scan, BackwardScanDirection, slot);
  if (exists) {
    bool is_null;
    found->version = DatumGetInt64(slot_getattr(slot, snapshot_column_version, &is_null));
    found->created_at = DatumGetTimestampTz(slot_getattr(slot, snapshot_column_created_at, &is_null));
    // A copy that outlives the scan (stored out of line, it is fetched now).
    found->state = PointerGetDatum(PG_DETOAST_DATUM_COPY(slot_getattr(slot, snapshot_column_state, &is_null)));
  }
  index_endscan(scan);
  ExecDropSingleTupleTableSlot(slot);
  index_close(index, NoLock);
  table_close(heap, NoLock);
  return exists;
}

}  // namespace eventstore::pg
