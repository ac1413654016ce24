// Direct access to eventstore.streams (the table this module owns). An append
// updates its stream's row as UPDATE does: a concurrent appender of the same
// stream makes it wait, and when that one commits, the append looks at the
// stream again. So among concurrent appends with the same expected version
// exactly one wins and the others see the version it wrote.
#include "stream_table.hpp"

#include "catalog.hpp"
#include "error_codes.hpp"
#include "eventstore/core/error_texts.hpp"
#include "eventstore/core/input_check.hpp"

namespace eventstore::pg {
namespace {

const Oid stream_column_types[stream_column_count] = {INT8OID, INT8OID, TIMESTAMPTZOID, TEXTOID, TEXTOID,
                                                      BOOLOID, BOOLOID, INT8OID,        INT8OID, INTERVALOID};

// Tags the creation locks among advisory locks (pg_locks shows it as objsubid).
constexpr uint16 creation_lock_class = 0x4553;

bool index_lookup(Relation heap, Relation index, RegProcedure equality, Datum key_value, Snapshot snapshot,
                  TupleTableSlot* slot) {
  ScanKeyData key;
  ScanKeyEntryInitialize(&key, 0, 1, BTEqualStrategyNumber, InvalidOid, index->rd_indcollation[0], equality, key_value);
  IndexScanDesc scan = index_beginscan(heap, index, snapshot, 1, 0);
  index_rescan(scan, &key, 1, nullptr, 0);
  bool found = index_getnext_slot(scan, ForwardScanDirection, slot);
  index_endscan(scan);
  return found;
}

// The lock that creators of one stream name take in turn, only while they look
// for the stream and insert its row; waiting for a creator's commit happens on
// its transaction instead, so a transaction creating many streams holds no
// lock per stream.
void creation_lock_tag(LOCKTAG* tag, text* name) {
  uint64 hash =
      hash_bytes_extended(reinterpret_cast<const unsigned char*>(VARDATA_ANY(name)), VARSIZE_ANY_EXHDR(name), 0);
  SET_LOCKTAG_ADVISORY(*tag, MyDatabaseId, static_cast<uint32>(hash >> 32), static_cast<uint32>(hash),
                       creation_lock_class);
}

void raise_concurrent_append() {
  ereport(ERROR, (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
                  errmsg("could not serialize access due to a concurrent append to the same stream"),
                  errhint("Retry the transaction.")));
}

// Sets the row's lifecycle columns (a 0.2 layout or newer) from the stream.
void set_lifecycle_values(TupleTableSlot* row, const StreamState* stream) {
  const core::StreamLifecycle& lifecycle = stream->lifecycle;
  row->tts_values[stream_column_deleted - 1] = BoolGetDatum(lifecycle.deleted);
  row->tts_values[stream_column_tombstoned - 1] = BoolGetDatum(lifecycle.tombstoned);
  row->tts_values[stream_column_truncate_before - 1] = Int64GetDatum(lifecycle.truncate_before);
  row->tts_isnull[stream_column_max_count - 1] = !lifecycle.max_count.has_value();
  row->tts_values[stream_column_max_count - 1] = Int64GetDatum(lifecycle.max_count.value_or(0));
  row->tts_isnull[stream_column_max_age - 1] = !stream->has_max_age;
  row->tts_values[stream_column_max_age - 1] =
      stream->has_max_age ? IntervalPGetDatum(&stream->max_age) : static_cast<Datum>(0);
}

}  // namespace

void read_stream_state(TupleTableSlot* slot, StreamState* stream) {
  slot_getallattrs(slot);
  const Datum* values = slot->tts_values;
  const bool* is_null = slot->tts_isnull;
  stream->exists = true;
  stream->stream_id = DatumGetInt64(values[stream_column_stream_id - 1]);
  stream->version = DatumGetInt64(values[stream_column_version - 1]);
  stream->created_at = DatumGetTimestampTz(values[stream_column_created_at - 1]);
  stream->lifecycle = core::StreamLifecycle{};
  stream->has_max_age = false;
  if (slot->tts_tupleDescriptor->natts < stream_column_count) return;
  stream->lifecycle.deleted = DatumGetBool(values[stream_column_deleted - 1]);
  stream->lifecycle.tombstoned = DatumGetBool(values[stream_column_tombstoned - 1]);
  stream->lifecycle.truncate_before = DatumGetInt64(values[stream_column_truncate_before - 1]);
  if (!is_null[stream_column_max_count - 1])
    stream->lifecycle.max_count = DatumGetInt64(values[stream_column_max_count - 1]);
  if (!is_null[stream_column_max_age - 1]) {
    stream->has_max_age = true;
    stream->max_age = *DatumGetIntervalP(values[stream_column_max_age - 1]);
  }
}

void reject_tombstoned(const char* stream_name, const StreamState* stream) {
  if (!stream->exists || !stream->lifecycle.tombstoned) return;
  core::ErrorText message = core::stream_tombstoned_message(stream_name);
  ereport(ERROR, (errcode(ERRCODE_ES_STREAM_DELETED), errmsg("%s", message.c_str()),
                  errhint("%s", core::stream_tombstoned_hint)));
}

bool has_lifecycle(const StreamWriter* writer) { return writer->table.column_count >= stream_column_count; }

void open_stream_writer(StreamWriter* writer, EState* estate) {
  const StoreCatalog& catalog = store_catalog();
  open_direct_table(&writer->table, catalog.streams, stream_column_types, stream_column_count, stream_column_count_0_1,
                    estate);
  writer->name_index = direct_table_index(&writer->table, catalog.streams_name_key);
  writer->current = table_slot_create(writer->table.relation, nullptr);
  writer->scratch = MakeSingleTupleTableSlot(RelationGetDescr(writer->table.relation), &TTSOpsVirtual);
  // READ COMMITTED looks at the newest state, as UPDATE does; REPEATABLE READ
  // and SERIALIZABLE keep the transaction's snapshot and fail on a conflict.
  writer->snapshot = RegisterSnapshot(IsolationUsesXactSnapshot() ? GetTransactionSnapshot() : GetLatestSnapshot());
  writer->holds_creation_lock = false;
}

void take_newer_snapshot(StreamWriter* writer) {
  if (IsolationUsesXactSnapshot()) raise_concurrent_append();
  UnregisterSnapshot(writer->snapshot);
  writer->snapshot = RegisterSnapshot(GetLatestSnapshot());
}

void release_creation_lock(StreamWriter* writer) {
  if (!writer->holds_creation_lock) return;
  LockRelease(&writer->creation_lock, ExclusiveLock, false);
  writer->holds_creation_lock = false;
}

void close_stream_writer(StreamWriter* writer) {
  release_creation_lock(writer);
  UnregisterSnapshot(writer->snapshot);
  ExecDropSingleTupleTableSlot(writer->current);
  ExecDropSingleTupleTableSlot(writer->scratch);
  close_direct_table(&writer->table);
}

void find_stream_for_append(StreamWriter* writer, text* name, StreamState* stream) {
  Relation heap = writer->table.relation;
  for (;;) {
    if (index_lookup(heap, writer->name_index, F_TEXTEQ, PointerGetDatum(name), writer->snapshot, writer->current)) {
      read_stream_state(writer->current, stream);
      return;
    }
    // Not in our snapshot: become this name's only creator, then look again
    // for a stream another creator inserted meanwhile.
    creation_lock_tag(&writer->creation_lock, name);
    (void)LockAcquire(&writer->creation_lock, ExclusiveLock, false, false);
    SnapshotData dirty;
    InitDirtySnapshot(dirty);
    if (!index_lookup(heap, writer->name_index, F_TEXTEQ, PointerGetDatum(name), &dirty, writer->current)) {
      // Keep the creation lock until create_stream has inserted the row.
      writer->holds_creation_lock = true;
      *stream = StreamState{};
      stream->exists = false;
      stream->version = -1;
      return;
    }
    LockRelease(&writer->creation_lock, ExclusiveLock, false);
    TransactionId creator = dirty.xmin;  // valid while the creator has not committed
    if (TransactionIdIsValid(creator)) {
      XactLockTableWait(creator, heap, &writer->current->tts_tid, XLTW_None);
      if (!TransactionIdDidCommit(creator)) continue;  // rolled back: the name is free again
    }
    // Created after our snapshot was taken: look again with one that shows it
    // (and the events of its first append).
    take_newer_snapshot(writer);
  }
}

void create_stream(StreamWriter* writer, text* name, StreamState* stream) {
  const StoreCatalog& catalog = store_catalog();
  int64 stream_id = nextval_internal(catalog.stream_id_sequence, false);
  std::string_view whole(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
  std::string_view category = core::category_of(whole);
  TimestampTz now = GetCurrentTransactionStartTimestamp();

  TupleTableSlot* slot = writer->scratch;
  ExecClearTuple(slot);
  memset(slot->tts_isnull, 0, sizeof(bool) * writer->table.column_count);
  slot->tts_values[stream_column_stream_id - 1] = Int64GetDatum(stream_id);
  slot->tts_values[stream_column_version - 1] = Int64GetDatum(stream->version);
  slot->tts_values[stream_column_created_at - 1] = TimestampTzGetDatum(now);
  slot->tts_values[stream_column_stream_name - 1] = PointerGetDatum(name);
  slot->tts_values[stream_column_category - 1] =
      PointerGetDatum(cstring_to_text_with_len(category.data(), static_cast<int>(category.size())));
  if (has_lifecycle(writer)) set_lifecycle_values(slot, stream);
  ExecStoreVirtualTuple(slot);

  table_tuple_insert(writer->table.relation, slot, GetCurrentCommandId(true), 0, nullptr);
  insert_index_entries(&writer->table, slot);
  release_creation_lock(writer);
  stream->exists = true;
  stream->stream_id = stream_id;
  stream->created_at = now;
}

bool write_stream_state(StreamWriter* writer, const StreamState* stream) {
  TupleTableSlot* current = writer->current;
  TupleTableSlot* updated = writer->scratch;
  int column_count = writer->table.column_count;
  slot_getallattrs(current);
  ExecClearTuple(updated);
  memcpy(updated->tts_values, current->tts_values, sizeof(Datum) * column_count);
  memcpy(updated->tts_isnull, current->tts_isnull, sizeof(bool) * column_count);
  updated->tts_values[stream_column_version - 1] = Int64GetDatum(stream->version);
  if (has_lifecycle(writer)) set_lifecycle_values(updated, stream);
  ExecStoreVirtualTuple(updated);

  // As UPDATE does: wait for a concurrent call on this stream, and if it
  // committed, let the caller look at the stream again.
  TM_FailureData failure;
  LockTupleMode lock_mode;
  bool update_indexes = false;
  TM_Result result = table_tuple_update(writer->table.relation, &current->tts_tid, updated, GetCurrentCommandId(true),
                                        writer->snapshot, InvalidSnapshot, true, &failure, &lock_mode, &update_indexes);
  switch (result) {
    case TM_Ok: break;
    case TM_Updated:
    case TM_Deleted:
      if (IsolationUsesXactSnapshot()) raise_concurrent_append();
      return false;
    default: elog(ERROR, "unexpected result %d updating a row of eventstore.streams", static_cast<int>(result));
  }
  if (update_indexes) insert_index_entries(&writer->table, updated);
  return true;
}

bool find_stream_by_name(text* name, Snapshot snapshot, StreamState* stream) {
  const StoreCatalog& catalog = store_catalog();
  Relation heap = open_store_table(catalog.streams, AccessShareLock);
  Relation index = index_open(catalog.streams_name_key, AccessShareLock);
  TupleTableSlot* slot = table_slot_create(heap, nullptr);
  bool found = index_lookup(heap, index, F_TEXTEQ, PointerGetDatum(name), snapshot, slot);
  if (found) {
    read_stream_state(slot, stream);
  } else {
    *stream = StreamState{};
    stream->version = -1;
  }
  ExecDropSingleTupleTableSlot(slot);
  index_close(index, AccessShareLock);
  table_close(heap, AccessShareLock);
  return found;
}

bool find_stream_by_id(Relation streams, Relation primary_key, int64 stream_id, Snapshot snapshot,
                       TupleTableSlot* slot) {
  return index_lookup(streams, primary_key, F_INT8EQ, Int64GetDatum(stream_id), snapshot, slot);
}

}  // namespace eventstore::pg
