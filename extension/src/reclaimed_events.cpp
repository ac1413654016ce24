#include "reclaimed_events.hpp"

#include "catalog.hpp"
#include "event_table.hpp"
#include "settings.hpp"

namespace eventstore::pg {
namespace {

enum ReclaimedColumn : AttrNumber {
  reclaimed_column_event_id = 1,
  reclaimed_column_stream_id,
  reclaimed_column_version,
  reclaimed_column_position,
  reclaimed_column_transaction_id,
  reclaimed_column_reclaimed_at,
  reclaimed_column_count = reclaimed_column_reclaimed_at,
};

const Oid reclaimed_column_types[reclaimed_column_count] = {UUIDOID, INT8OID, INT8OID,
                                                            INT8OID, XID8OID, TIMESTAMPTZOID};

TimestampTz retention_start() {
  return TimestampTzPlusMilliseconds(GetCurrentTransactionStartTimestamp(),
                                     -static_cast<int64>(settings::reclaimed_id_retention) * 1000);
}

}  // namespace

void open_reclaim_ledger(ReclaimLedger* ledger, EState* estate) {
  const ReclaimCatalog& catalog = reclaim_catalog();
  ledger->present = catalog.present;
  if (!ledger->present) return;
  open_direct_table(&ledger->table, catalog.reclaimed_events, reclaimed_column_types, reclaimed_column_count,
                    reclaimed_column_count, estate);
  ledger->row = MakeSingleTupleTableSlot(RelationGetDescr(ledger->table.relation), &TTSOpsVirtual);
}

void close_reclaim_ledger(ReclaimLedger* ledger) {
  if (!ledger->present) return;
  ExecDropSingleTupleTableSlot(ledger->row);
  close_direct_table(&ledger->table);
}

void record_reclaimed_event(ReclaimLedger* ledger, TupleTableSlot* event) {
  // A retention of 0 keeps nothing.
  if (!ledger->present || settings::reclaimed_id_retention == 0) return;
  slot_getallattrs(event);
  TupleTableSlot* row = ledger->row;
  ExecClearTuple(row);
  memset(row->tts_isnull, 0, sizeof(bool) * reclaimed_column_count);
  row->tts_values[reclaimed_column_event_id - 1] = event->tts_values[event_column_event_id - 1];
  row->tts_values[reclaimed_column_stream_id - 1] = event->tts_values[event_column_stream_id - 1];
  row->tts_values[reclaimed_column_version - 1] = event->tts_values[event_column_version - 1];
  row->tts_values[reclaimed_column_position - 1] = event->tts_values[event_column_position - 1];
  row->tts_values[reclaimed_column_transaction_id - 1] = event->tts_values[event_column_transaction_id - 1];
  row->tts_values[reclaimed_column_reclaimed_at - 1] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
  ExecStoreVirtualTuple(row);
  table_tuple_insert(ledger->table.relation, row, GetCurrentCommandId(true), 0, nullptr);
  insert_index_entries(&ledger->table, row);
}

int64 purge_reclaim_ledger(ReclaimLedger* ledger, Snapshot snapshot) {
  if (!ledger->present) return 0;
  Relation relation = ledger->table.relation;
  TimestampTz oldest_kept = retention_start();
  TupleTableSlot* slot = table_slot_create(relation, nullptr);
  TableScanDesc scan = table_beginscan(relation, snapshot, 0, nullptr);
  int64 purged = 0;
  while (table_scan_getnextslot(scan, ForwardScanDirection, slot)) {
    CHECK_FOR_INTERRUPTS();
    bool is_null;
    if (DatumGetTimestampTz(slot_getattr(slot, reclaimed_column_reclaimed_at, &is_null)) >= oldest_kept) continue;
    TM_FailureData failure;
    TM_Result result = table_tuple_delete(relation, &slot->tts_tid, GetCurrentCommandId(true), snapshot,
                                          InvalidSnapshot, true, &failure, false);
    if (result == TM_Ok) ++purged;
  }
  table_endscan(scan);
  ExecDropSingleTupleTableSlot(slot);
  return purged;
}

bool find_reclaimed_event(Datum event_id, Snapshot snapshot, ReclaimedEvent* found) {
  const ReclaimCatalog& catalog = reclaim_catalog();
  if (!catalog.present) return false;
  Relation heap = open_store_table(catalog.reclaimed_events, AccessShareLock);
  Relation index = index_open(catalog.reclaimed_events_pkey, AccessShareLock);
  TupleTableSlot* slot = table_slot_create(heap, nullptr);
  ScanKeyData key;
  ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_UUID_EQ, event_id);
  IndexScanDesc scan = index_beginscan(heap, index, snapshot, 1, 0);
  index_rescan(scan, &key, 1, nullptr, 0);
  bool exists = index_getnext_slot(scan, ForwardScanDirection, slot);
  if (exists) {
    bool is_null;
    found->stream_id = DatumGetInt64(slot_getattr(slot, reclaimed_column_stream_id, &is_null));
    found->version = DatumGetInt64(slot_getattr(slot, reclaimed_column_version, &is_null));
    found->position = DatumGetInt64(slot_getattr(slot, reclaimed_column_position, &is_null));
  }
  index_endscan(scan);
  ExecDropSingleTupleTableSlot(slot);
  index_close(index, AccessShareLock);
  table_close(heap, AccessShareLock);
  return exists;
}

}  // namespace eventstore::pg
