// Direct access to eventstore.streams (the table this module owns). Appends
// lock a stream's row with table_tuple_lock, as UPDATE does, so that among
// concurrent appends with the same expected version exactly one wins and the
// others see the version it wrote.
#include "stream_table.hpp"

extern "C" {
#include "common/hashfn.h"
}

#include "../core/input_check.hpp"
#include "catalog.hpp"

namespace eventstore::pg {
namespace {

const Oid stream_column_types[stream_column_count] = {INT8OID, INT8OID, TIMESTAMPTZOID, TEXTOID, TEXTOID};

// Tags the creation locks among advisory locks (pg_locks shows it as objsubid).
constexpr uint16 creation_lock_class = 0x4553;

bool index_lookup(Relation heap, Relation index, RegProcedure equality, Datum key_value, Snapshot snapshot,
                  TupleTableSlot* slot) {
  ScanKeyData key;
  ScanKeyEntryInitialize(&key, 0, 1, BTEqualStrategyNumber, InvalidOid, index->rd_indcollation[0], equality,
                         key_value);
  IndexScanDesc scan = index_beginscan(heap, index, snapshot, 1, 0);
  index_rescan(scan, &key, 1, nullptr, 0);
  bool found = index_getnext_slot(scan, ForwardScanDirection, slot);
  index_endscan(scan);
  return found;
}

// Serialises the creators of one stream name for the rest of the transaction.
void lock_stream_creation(text* name) {
  uint64 hash = hash_bytes_extended(reinterpret_cast<const unsigned char*>(VARDATA_ANY(name)),
                                    VARSIZE_ANY_EXHDR(name), 0);
  LOCKTAG tag;
  SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, static_cast<uint32>(hash >> 32), static_cast<uint32>(hash),
                       creation_lock_class);
  (void)LockAcquire(&tag, ExclusiveLock, false, false);
}

void raise_concurrent_append() {
  ereport(ERROR, (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
                  errmsg("could not serialize access due to a concurrent append to the same stream"),
                  errhint("Retry the transaction.")));
}

// Locks the row in `slot` (or, under READ COMMITTED, its newest version) and
// reads the stream from it. False when the row was deleted meanwhile.
bool lock_found_row(StreamWriter* writer, LockedStream* stream) {
  bool transaction_snapshot = IsolationUsesXactSnapshot();
  int flags = transaction_snapshot ? 0 : TUPLE_LOCK_FLAG_FIND_LAST_VERSION;
  TM_FailureData failure;
  ItemPointerData tid = writer->locked->tts_tid;
  TM_Result result = table_tuple_lock(writer->table.relation, &tid, writer->snapshot, writer->locked,
                                      GetCurrentCommandId(true), LockTupleNoKeyExclusive, LockWaitBlock, flags,
                                      &failure);
  switch (result) {
    case TM_Ok: break;
    case TM_Updated:
      raise_concurrent_append();
      break;
    case TM_Deleted:
      if (transaction_snapshot) raise_concurrent_append();
      return false;
    default:
      elog(ERROR, "unexpected result %d locking a row of eventstore.streams", static_cast<int>(result));
  }
  bool is_null;
  stream->exists = true;
  stream->stream_id = DatumGetInt64(slot_getattr(writer->locked, stream_column_stream_id, &is_null));
  stream->version = DatumGetInt64(slot_getattr(writer->locked, stream_column_version, &is_null));
  return true;
}

}  // namespace

void open_stream_writer(StreamWriter* writer, EState* estate, Snapshot snapshot) {
  const StoreCatalog& catalog = store_catalog();
  open_direct_table(&writer->table, catalog.streams, stream_column_types, stream_column_count, estate);
  writer->name_index = direct_table_index(&writer->table, catalog.streams_name_key);
  writer->locked = table_slot_create(writer->table.relation, nullptr);
  writer->scratch = MakeSingleTupleTableSlot(RelationGetDescr(writer->table.relation), &TTSOpsVirtual);
  writer->snapshot = snapshot;
}

void close_stream_writer(StreamWriter* writer) {
  ExecDropSingleTupleTableSlot(writer->locked);
  ExecDropSingleTupleTableSlot(writer->scratch);
  close_direct_table(&writer->table);
}

void lock_stream_for_append(StreamWriter* writer, text* name, LockedStream* stream) {
  Relation heap = writer->table.relation;
  if (index_lookup(heap, writer->name_index, F_TEXTEQ, PointerGetDatum(name), writer->snapshot, writer->locked) &&
      lock_found_row(writer, stream))
    return;

  // Not there (or deleted): become this name's only creator, then look again
  // for a stream another creator committed since our snapshot was taken.
  lock_stream_creation(name);
  SnapshotData dirty;
  InitDirtySnapshot(dirty);
  if (index_lookup(heap, writer->name_index, F_TEXTEQ, PointerGetDatum(name), &dirty, writer->locked)) {
    if (IsolationUsesXactSnapshot()) raise_concurrent_append();
    if (lock_found_row(writer, stream)) return;
  }
  stream->exists = false;
  stream->stream_id = 0;
  stream->version = -1;
}

void create_stream(StreamWriter* writer, text* name, int64 version, LockedStream* stream) {
  const StoreCatalog& catalog = store_catalog();
  int64 stream_id = nextval_internal(catalog.stream_id_sequence, false);
  std::string_view whole(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
  std::string_view category = core::category_of(whole);

  TupleTableSlot* slot = writer->scratch;
  ExecClearTuple(slot);
  slot->tts_values[stream_column_stream_id - 1] = Int64GetDatum(stream_id);
  slot->tts_values[stream_column_version - 1] = Int64GetDatum(version);
  slot->tts_values[stream_column_created_at - 1] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
  slot->tts_values[stream_column_stream_name - 1] = PointerGetDatum(name);
  slot->tts_values[stream_column_category - 1] =
      PointerGetDatum(cstring_to_text_with_len(category.data(), static_cast<int>(category.size())));
  memset(slot->tts_isnull, 0, sizeof(bool) * stream_column_count);
  ExecStoreVirtualTuple(slot);

  table_tuple_insert(writer->table.relation, slot, GetCurrentCommandId(true), 0, nullptr);
  insert_index_entries(&writer->table, slot);
  stream->exists = true;
  stream->stream_id = stream_id;
  stream->version = version;
}

void set_stream_version(StreamWriter* writer, LockedStream* stream, int64 version) {
  TupleTableSlot* current = writer->locked;
  TupleTableSlot* updated = writer->scratch;
  slot_getallattrs(current);
  ExecClearTuple(updated);
  memcpy(updated->tts_values, current->tts_values, sizeof(Datum) * stream_column_count);
  memcpy(updated->tts_isnull, current->tts_isnull, sizeof(bool) * stream_column_count);
  updated->tts_values[stream_column_version - 1] = Int64GetDatum(version);
  ExecStoreVirtualTuple(updated);

  bool update_indexes = false;
  simple_table_tuple_update(writer->table.relation, &current->tts_tid, updated, writer->snapshot, &update_indexes);
  if (update_indexes) insert_index_entries(&writer->table, updated);
  stream->version = version;
}

bool find_stream_by_name(text* name, Snapshot snapshot, int64* stream_id, int64* version) {
  const StoreCatalog& catalog = store_catalog();
  Relation heap = table_open(catalog.streams, AccessShareLock);
  Relation index = index_open(catalog.streams_name_key, AccessShareLock);
  TupleTableSlot* slot = table_slot_create(heap, nullptr);
  bool found = index_lookup(heap, index, F_TEXTEQ, PointerGetDatum(name), snapshot, slot);
  if (found) {
    bool is_null;
    *stream_id = DatumGetInt64(slot_getattr(slot, stream_column_stream_id, &is_null));
    *version = DatumGetInt64(slot_getattr(slot, stream_column_version, &is_null));
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
