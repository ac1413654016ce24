// Direct access to eventstore.events (the table this module owns). Events are
// written with table_multi_insert, one WAL record per heap page, and their
// index entries with ExecInsertIndexTuples; columns without defaults in the
// direct path (position, transaction, time) are filled here.
#include "event_table.hpp"

#include "catalog.hpp"

namespace eventstore::pg {
namespace {

const Oid event_column_types[event_column_count] = {INT8OID, XID8OID, INT8OID,  INT8OID,  TIMESTAMPTZOID,
                                                    UUIDOID, TEXTOID, JSONBOID, JSONBOID, TEXTOID};

void begin_scan(EventScan* scan, Oid index_id, ScanKey keys, int key_count, ScanDirection direction,
                Snapshot snapshot) {
  const StoreCatalog& catalog = store_catalog();
  scan->heap = table_open(catalog.events, AccessShareLock);
  scan->index = index_open(index_id, AccessShareLock);
  scan->slot = table_slot_create(scan->heap, nullptr);
  scan->direction = direction;
  scan->scan = index_beginscan(scan->heap, scan->index, snapshot, key_count, 0);
  index_rescan(scan->scan, keys, key_count, nullptr, 0);
}

}  // namespace

void open_event_writer(EventWriter* writer, EState* estate, int largest_batch) {
  const StoreCatalog& catalog = store_catalog();
  open_direct_table(&writer->table, catalog.events, event_column_types, event_column_count, event_column_count_0_1,
                    estate);
  writer->event_id_index = direct_table_index(&writer->table, catalog.events_event_id_key);
  writer->slot_count = largest_batch;
  writer->slots = static_cast<TupleTableSlot**>(palloc(sizeof(TupleTableSlot*) * largest_batch));
  for (int i = 0; i < largest_batch; ++i) writer->slots[i] = table_slot_create(writer->table.relation, nullptr);
  writer->found = table_slot_create(writer->table.relation, nullptr);
}

void close_event_writer(EventWriter* writer) {
  for (int i = 0; i < writer->slot_count; ++i) ExecDropSingleTupleTableSlot(writer->slots[i]);
  ExecDropSingleTupleTableSlot(writer->found);
  close_direct_table(&writer->table);
}

void write_events(EventWriter* writer, int64 stream_id, Datum category, int64 first_version, const EventBatch* batch,
                  WrittenRange* written) {
  bool has_category = writer->table.column_count >= event_column_count;
  const StoreCatalog& catalog = store_catalog();
  Datum transaction_id = FullTransactionIdGetDatum(GetTopFullTransactionId());
  Datum created_at = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
  for (int i = 0; i < batch->count; ++i) {
    TupleTableSlot* slot = writer->slots[i];
    ExecClearTuple(slot);
    int64 position = nextval_internal(catalog.position_sequence, false);
    if (i == 0) written->first_position = position;
    written->last_position = position;
    Datum* values = slot->tts_values;
    bool* is_null = slot->tts_isnull;
    memset(is_null, 0, sizeof(bool) * writer->table.column_count);
    values[event_column_position - 1] = Int64GetDatum(position);
    values[event_column_transaction_id - 1] = transaction_id;
    values[event_column_stream_id - 1] = Int64GetDatum(stream_id);
    values[event_column_version - 1] = Int64GetDatum(first_version + i);
    values[event_column_created_at - 1] = created_at;
    values[event_column_event_id - 1] = batch->event_ids[i];
    values[event_column_event_type - 1] = batch->event_types[i];
    values[event_column_data - 1] = batch->data[i];
    values[event_column_metadata - 1] = batch->metadata[i];
    is_null[event_column_metadata - 1] = batch->metadata_is_null[i];
    if (has_category) values[event_column_category - 1] = category;
    ExecStoreVirtualTuple(slot);
  }

  Relation relation = writer->table.relation;
  CommandId command = GetCurrentCommandId(true);
  if (batch->count == 1)
    table_tuple_insert(relation, writer->slots[0], command, 0, nullptr);
  else
    table_multi_insert(relation, writer->slots, batch->count, command, 0, nullptr);
  for (int i = 0; i < batch->count; ++i) insert_index_entries(&writer->table, writer->slots[i]);
}

bool find_event_by_id(EventWriter* writer, Datum event_id, Snapshot snapshot) {
  ScanKeyData key;
  ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_UUID_EQ, event_id);
  IndexScanDesc scan = index_beginscan(writer->table.relation, writer->event_id_index, snapshot, 1, 0);
  index_rescan(scan, &key, 1, nullptr, 0);
  bool found = index_getnext_slot(scan, ForwardScanDirection, writer->found);
  index_endscan(scan);
  return found;
}

void begin_stream_scan(EventScan* scan, int64 stream_id, int64 from_version, ScanDirection direction,
                       Snapshot snapshot) {
  ScanKeyData keys[2];
  bool forward = ScanDirectionIsForward(direction);
  ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(stream_id));
  ScanKeyInit(&keys[1], 2, forward ? BTGreaterEqualStrategyNumber : BTLessEqualStrategyNumber,
              forward ? F_INT8GE : F_INT8LE, Int64GetDatum(from_version));
  begin_scan(scan, store_catalog().events_pkey, keys, 2, direction, snapshot);
}

namespace {

// Keys for (transaction_id, position) > after AND transaction_id < fence, the
// two columns starting at `first_attribute` of the index.
int log_order_keys(ScanKeyData* keys, AttrNumber first_attribute, const LogCheckpoint* after,
                   FullTransactionId fence) {
  int key_count = 0;
  if (after != nullptr) {
    // A row comparison, so that resuming inside a large transaction starts at
    // the checkpoint instead of skipping up to it. Row members compare with
    // the B-tree support function.
    auto* members = static_cast<ScanKeyData*>(palloc(sizeof(ScanKeyData) * 2));
    ScanKeyEntryInitialize(&members[0], SK_ROW_MEMBER, first_attribute, BTGreaterStrategyNumber, XID8OID, InvalidOid,
                           F_XID8CMP, FullTransactionIdGetDatum(after->transaction_id));
    ScanKeyEntryInitialize(&members[1], SK_ROW_MEMBER | SK_ROW_END, static_cast<AttrNumber>(first_attribute + 1),
                           BTGreaterStrategyNumber, INT8OID, InvalidOid, F_BTINT8CMP, Int64GetDatum(after->position));
    ScanKeyData* header = &keys[key_count++];
    memset(header, 0, sizeof(ScanKeyData));
    header->sk_flags = SK_ROW_HEADER;
    header->sk_attno = first_attribute;
    header->sk_strategy = BTGreaterStrategyNumber;
    header->sk_argument = PointerGetDatum(members);
  }
  ScanKeyInit(&keys[key_count++], first_attribute, BTLessStrategyNumber, F_XID8LT, FullTransactionIdGetDatum(fence));
  return key_count;
}

}  // namespace

void begin_log_scan(EventScan* scan, const LogCheckpoint* after, FullTransactionId fence, Snapshot snapshot) {
  ScanKeyData keys[2];
  int key_count = log_order_keys(keys, 1, after, fence);
  begin_scan(scan, store_catalog().events_log_order_key, keys, key_count, ForwardScanDirection, snapshot);
}

bool begin_category_scan(EventScan* scan, Datum category, const LogCheckpoint* after, FullTransactionId fence,
                         Snapshot snapshot) {
  Oid index = category_index();
  if (!OidIsValid(index)) return false;
  ScanKeyData keys[3];
  ScanKeyEntryInitialize(&keys[0], 0, 1, BTEqualStrategyNumber, InvalidOid, C_COLLATION_OID, F_TEXTEQ, category);
  int key_count = 1 + log_order_keys(&keys[1], 2, after, fence);
  begin_scan(scan, index, keys, key_count, ForwardScanDirection, snapshot);
  return true;
}

bool next_event(EventScan* scan) { return index_getnext_slot(scan->scan, scan->direction, scan->slot); }

void end_event_scan(EventScan* scan) {
  index_endscan(scan->scan);
  ExecDropSingleTupleTableSlot(scan->slot);
  index_close(scan->index, AccessShareLock);
  table_close(scan->heap, AccessShareLock);
}

}  // namespace eventstore::pg
