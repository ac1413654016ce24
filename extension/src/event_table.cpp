// Direct access to eventstore.events (the table this module owns). Events are
// written with table_multi_insert, one WAL record per heap page, and their
// index entries with ExecInsertIndexTuples; columns without defaults in the
// direct path (position, transaction, time) are filled here. The direct path
// does no partition routing: events go to the partition of the transaction's
// start time, found once per append (event_partitions.hpp).
#include "event_table.hpp"

#include "catalog.hpp"
#include "error_codes.hpp"

namespace eventstore::pg {
namespace {

const Oid event_column_types[event_column_count] = {INT8OID, XID8OID, INT8OID,  INT8OID,  TIMESTAMPTZOID,
                                                    UUIDOID, TEXTOID, JSONBOID, JSONBOID, TEXTOID};

// The parent is never written, but what it carries would apply to its partitions.
void check_parent(Relation events) {
  const char* why = nullptr;
  if (events->trigdesc != nullptr)
    why = "it has triggers, which direct writes would bypass";
  else if (events->rd_rel->relrowsecurity)
    why = "it has row-level security, which direct writes would bypass";
  if (why != nullptr)
    ereport(ERROR, (errcode(ERRCODE_ES_STORE_NOT_USABLE),
                    errmsg("pg_eventstore cannot write to table %s: %s", RelationGetRelationName(events), why),
                    errhint("The extension's tables are written only through its functions; undo the change "
                            "or reinstall the extension.")));
}

Oid index_of(const EventPartition& partition, EventOrder order, bool category) {
  if (category) return partition.category_index;
  return order == EventOrder::stream_version ? partition.stream_index : partition.log_index;
}

// Starts the scan on the chosen index of every partition; false when a
// partition lacks it (the category index, in a database on 0.1).
bool begin_scan(EventScan* scan, EventOrder order, bool category, ScanKey keys, int key_count, ScanDirection direction,
                Snapshot snapshot, LOCKMODE lock_mode) {
  const StoreCatalog& catalog = store_catalog();
  scan->events = open_store_table(catalog.events, AccessShareLock);
  EventPartitions partitions = event_partitions(scan->events);
  for (int i = 0; i < partitions.count; ++i)
    if (!OidIsValid(index_of(partitions.partitions[i], order, category))) {
      table_close(scan->events, AccessShareLock);
      return false;
    }
  scan->part_count = partitions.count;
  scan->parts = static_cast<PartitionScan*>(palloc0(sizeof(PartitionScan) * Max(partitions.count, 1)));
  for (int i = 0; i < partitions.count; ++i) {
    PartitionScan* part = &scan->parts[i];
    part->heap = open_store_table(partitions.partitions[i].relation, lock_mode);
    part->index = index_open(index_of(partitions.partitions[i], order, category), lock_mode);
    part->slot = table_slot_create(part->heap, nullptr);
    part->scan = index_beginscan(part->heap, part->index, snapshot, key_count, 0);
    index_rescan(part->scan, keys, key_count, nullptr, 0);
  }
  scan->current = -1;
  scan->started = false;
  scan->order = order;
  scan->direction = direction;
  scan->slot = nullptr;
  scan->heap = nullptr;
  return true;
}

void fetch(EventScan* scan, PartitionScan* part) {
  part->has_row = index_getnext_slot(part->scan, scan->direction, part->slot);
  if (!part->has_row) return;
  bool is_null;
  if (scan->order == EventOrder::stream_version) {
    part->first_key = static_cast<uint64>(DatumGetInt64(slot_getattr(part->slot, event_column_version, &is_null)));
  } else {
    part->first_key = U64FromFullTransactionId(
        DatumGetFullTransactionId(slot_getattr(part->slot, event_column_transaction_id, &is_null)));
    part->second_key = DatumGetInt64(slot_getattr(part->slot, event_column_position, &is_null));
  }
}

// Whether a's row comes before b's in the scan's order.
bool comes_first(const EventScan* scan, const PartitionScan* a, const PartitionScan* b) {
  if (scan->order == EventOrder::stream_version) {
    auto version_a = static_cast<int64>(a->first_key);
    auto version_b = static_cast<int64>(b->first_key);
    return ScanDirectionIsForward(scan->direction) ? version_a < version_b : version_a > version_b;
  }
  if (a->first_key != b->first_key) return a->first_key < b->first_key;
  return a->second_key < b->second_key;
}

// Another partition holds an event with this id that is committed, or in
// flight and then committed: the unique index of one table would refuse the
// second insert, so this does too.
void check_id_elsewhere(EventWriter* writer, Datum event_id) {
  for (int i = 0; i < writer->partitions.count; ++i) {
    if (i == writer->partition_index) continue;
    for (;;) {
      SnapshotData dirty;
      InitDirtySnapshot(dirty);
      if (!find_event_in_partition(writer, i, event_id, &dirty)) break;
      TransactionId in_flight = TransactionIdIsValid(dirty.xmin) ? dirty.xmin : dirty.xmax;
      if (TransactionIdIsValid(in_flight)) {
        XactLockTableWait(in_flight, writer->partition_heaps[i], &writer->found->tts_tid, XLTW_InsertIndex);
        continue;  // look again: it may have rolled back
      }
      ereport(ERROR, (errcode(ERRCODE_UNIQUE_VIOLATION),
                      errmsg("duplicate key value violates the uniqueness of event ids across partitions"),
                      errdetail("Event id %s is already stored in partition %s.",
                                DatumGetCString(DirectFunctionCall1(uuid_out, event_id)),
                                RelationGetRelationName(writer->partition_heaps[i]))));
    }
  }
}

}  // namespace

void open_event_writer(EventWriter* writer, EState* estate, int largest_batch) {
  const StoreCatalog& catalog = store_catalog();
  writer->events = open_store_table(catalog.events, RowExclusiveLock);
  check_parent(writer->events);
  // Every event of a transaction has its start time, so one partition takes them all.
  const EventPartition* partition = partition_for_time(writer->events, GetCurrentTransactionStartTimestamp());
  writer->partitions = event_partitions(writer->events);
  writer->partition_index = static_cast<int>(partition - writer->partitions.partitions);
  open_direct_table(&writer->table, partition->relation, event_column_types, event_column_count, event_column_count_0_1,
                    estate);
  int count = writer->partitions.count;
  writer->partition_heaps = static_cast<Relation*>(palloc0(sizeof(Relation) * count));
  writer->event_id_indexes = static_cast<Relation*>(palloc0(sizeof(Relation) * count));
  writer->partition_heaps[writer->partition_index] = writer->table.relation;
  writer->event_id_indexes[writer->partition_index] = direct_table_index(&writer->table, partition->event_id_index);
  writer->slot_count = largest_batch;
  writer->slots = static_cast<TupleTableSlot**>(palloc(sizeof(TupleTableSlot*) * largest_batch));
  for (int i = 0; i < largest_batch; ++i) writer->slots[i] = table_slot_create(writer->table.relation, nullptr);
  writer->found = table_slot_create(writer->table.relation, nullptr);
}

void close_event_writer(EventWriter* writer) {
  for (int i = 0; i < writer->slot_count; ++i) ExecDropSingleTupleTableSlot(writer->slots[i]);
  ExecDropSingleTupleTableSlot(writer->found);
  for (int i = 0; i < writer->partitions.count; ++i) {
    if (i == writer->partition_index || writer->partition_heaps[i] == nullptr) continue;
    index_close(writer->event_id_indexes[i], NoLock);
    table_close(writer->partition_heaps[i], NoLock);
  }
  close_direct_table(&writer->table);
  table_close(writer->events, NoLock);
}

void write_events(EventWriter* writer, int64 stream_id, Datum category, int64 first_version,
                  FullTransactionId log_transaction, const EventBatch* batch, WrittenRange* written) {
  bool has_category = writer->table.column_count >= event_column_count;
  const StoreCatalog& catalog = store_catalog();
  Datum transaction_id = FullTransactionIdGetDatum(log_transaction);
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
  // Ids the store made are new by construction (time-ordered, random); an id
  // from the caller may already be in another month.
  if (writer->partitions.count > 1)
    for (int i = 0; i < batch->count; ++i)
      if (batch->id_was_given[i]) check_id_elsewhere(writer, batch->event_ids[i]);
}

bool find_event_in_partition(EventWriter* writer, int partition, Datum event_id, Snapshot snapshot) {
  if (writer->partition_heaps[partition] == nullptr) {
    const EventPartition& p = writer->partitions.partitions[partition];
    writer->partition_heaps[partition] = open_store_table(p.relation, AccessShareLock);
    writer->event_id_indexes[partition] = index_open(p.event_id_index, AccessShareLock);
  }
  ScanKeyData key;
  ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_UUID_EQ, event_id);
  IndexScanDesc scan =
      index_beginscan(writer->partition_heaps[partition], writer->event_id_indexes[partition], snapshot, 1, 0);
  index_rescan(scan, &key, 1, nullptr, 0);
  bool found = index_getnext_slot(scan, ForwardScanDirection, writer->found);
  index_endscan(scan);
  return found;
}

bool find_event_by_id(EventWriter* writer, Datum event_id, Snapshot snapshot) {
  // The partition being written first: a repeated append usually is a quick retry.
  if (find_event_in_partition(writer, writer->partition_index, event_id, snapshot)) return true;
  for (int i = 0; i < writer->partitions.count; ++i)
    if (i != writer->partition_index && find_event_in_partition(writer, i, event_id, snapshot)) return true;
  return false;
}

void begin_stream_scan(EventScan* scan, int64 stream_id, int64 from_version, ScanDirection direction, Snapshot snapshot,
                       LOCKMODE lock_mode) {
  ScanKeyData keys[2];
  bool forward = ScanDirectionIsForward(direction);
  ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(stream_id));
  ScanKeyInit(&keys[1], 2, forward ? BTGreaterEqualStrategyNumber : BTLessEqualStrategyNumber,
              forward ? F_INT8GE : F_INT8LE, Int64GetDatum(from_version));
  begin_scan(scan, EventOrder::stream_version, false, keys, 2, direction, snapshot, lock_mode);
}

namespace {

// Keys for (transaction_id, position) > after AND transaction_id < fence, the
// two columns starting at `first_attribute` of the index.
int log_order_keys(ScanKeyData* keys, AttrNumber first_attribute, const LogCheckpoint* after, FullTransactionId fence) {
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
  begin_scan(scan, EventOrder::log, false, keys, key_count, ForwardScanDirection, snapshot, AccessShareLock);
}

bool begin_category_scan(EventScan* scan, Datum category, const LogCheckpoint* after, FullTransactionId fence,
                         Snapshot snapshot) {
  ScanKeyData keys[3];
  ScanKeyEntryInitialize(&keys[0], 0, 1, BTEqualStrategyNumber, InvalidOid, C_COLLATION_OID, F_TEXTEQ, category);
  int key_count = 1 + log_order_keys(&keys[1], 2, after, fence);
  return begin_scan(scan, EventOrder::log, true, keys, key_count, ForwardScanDirection, snapshot, AccessShareLock);
}

bool next_event(EventScan* scan) {
  if (!scan->started) {
    for (int i = 0; i < scan->part_count; ++i) fetch(scan, &scan->parts[i]);
    scan->started = true;
  } else if (scan->current >= 0) {
    fetch(scan, &scan->parts[scan->current]);
  }
  int best = -1;
  for (int i = 0; i < scan->part_count; ++i)
    if (scan->parts[i].has_row && (best < 0 || comes_first(scan, &scan->parts[i], &scan->parts[best]))) best = i;
  scan->current = best;
  if (best < 0) return false;
  scan->slot = scan->parts[best].slot;
  scan->heap = scan->parts[best].heap;
  return true;
}

void end_event_scan(EventScan* scan) {
  for (int i = 0; i < scan->part_count; ++i) {
    PartitionScan* part = &scan->parts[i];
    index_endscan(part->scan);
    ExecDropSingleTupleTableSlot(part->slot);
    index_close(part->index, NoLock);
    table_close(part->heap, NoLock);
  }
  table_close(scan->events, NoLock);
}

}  // namespace eventstore::pg
