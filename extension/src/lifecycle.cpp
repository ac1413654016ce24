// Stream lifecycle: soft delete, hard delete (tombstone), truncate-before,
// the limits max_count and max_age, the state of a stream, and reclaim(),
// which deletes what the lifecycle hides from reads (and keeps the ids of what
// it deleted: reclaimed_events.hpp). A lifecycle call changes
// the stream's row as an append does (waiting for, and deciding again after, a
// concurrent append), so appends and lifecycle calls on one stream take turns.
#include "postgres.hpp"

#include "arguments.hpp"
#include "boundary.hpp"
#include "catalog.hpp"
#include "error_codes.hpp"
#include "event_table.hpp"
#include "eventstore/core/error_texts.hpp"
#include "eventstore/core/expected_version.hpp"
#include "reclaimed_events.hpp"
#include "snapshot_table.hpp"
#include "stream_table.hpp"
#include "visible_events.hpp"

namespace eventstore::pg {
namespace {

void raise_stream_not_found(const char* stream_name) {
  core::ErrorText message = core::stream_not_found_message(stream_name);
  ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("%s", message.c_str())));
}

void raise_invalid_parameter(const char* message) {
  ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%s", message)));
}

// What a lifecycle call does to a stream: false when there is nothing to write.
// It may raise; `stream` is the state it sees (it may not exist yet).
using StreamChange = bool (*)(const char* stream_name, StreamState* stream, const void* arguments);

// Applies `change` to the stream's row until no concurrent call gets in between.
StreamState change_stream(text* name, StreamChange change, const void* arguments) {
  const char* stream_name = text_to_cstring(name);
  EState* estate = CreateExecutorState();
  StreamWriter writer;
  open_stream_writer(&writer, estate);
  if (!has_lifecycle(&writer))
    ereport(ERROR, (errcode(ERRCODE_ES_STORE_NOT_USABLE), errmsg("stream lifecycle needs pg_eventstore 0.2 or newer"),
                    errhint("ALTER EXTENSION pg_eventstore UPDATE")));
  StreamState stream;
  for (;;) {
    find_stream_for_append(&writer, name, &stream);
    bool existed = stream.exists;
    if (!change(stream_name, &stream, arguments)) break;
    if (!existed) {
      create_stream(&writer, name, &stream);
      break;
    }
    if (write_stream_state(&writer, &stream)) break;
    take_newer_snapshot(&writer);
  }
  close_stream_writer(&writer);
  FreeExecutorState(estate);
  CommandCounterIncrement();
  return stream;
}

// The version a lifecycle call compares its expected version with.
int64 current_version(const StreamState* stream) {
  return stream->exists && !stream->lifecycle.deleted ? stream->version : core::no_stream_version;
}

bool soft_delete(const char* stream_name, StreamState* stream, const void* arguments) {
  int64 expected = *static_cast<const int64*>(arguments);
  reject_tombstoned(stream_name, stream);
  if (!core::expected_version_matches(expected, current_version(stream)))
    raise_wrong_expected_version(stream_name, expected, current_version(stream));
  if (!stream->exists || stream->lifecycle.deleted) return false;  // nothing (more) to delete
  stream->lifecycle.deleted = true;
  return true;
}

bool hard_delete(const char* stream_name, StreamState* stream, const void* arguments) {
  int64 expected = *static_cast<const int64*>(arguments);
  if (stream->exists && stream->lifecycle.tombstoned) return false;  // already
  if (!core::expected_version_matches(expected, current_version(stream)))
    raise_wrong_expected_version(stream_name, expected, current_version(stream));
  // A name never used gets a tombstone too, so that it can never be created.
  stream->lifecycle.tombstoned = true;
  return true;
}

bool truncate_before(const char* stream_name, StreamState* stream, const void* arguments) {
  int64 before = *static_cast<const int64*>(arguments);
  if (!stream->exists) raise_stream_not_found(stream_name);
  reject_tombstoned(stream_name, stream);
  // Truncation only grows: what it hid may already be reclaimed.
  if (before <= stream->lifecycle.truncate_before) return false;
  stream->lifecycle.truncate_before = before;
  return true;
}

struct StreamLimits {
  bool has_max_count;
  int64 max_count;
  bool has_max_age;
  Interval max_age;
};

bool set_limits(const char* stream_name, StreamState* stream, const void* arguments) {
  const auto* limits = static_cast<const StreamLimits*>(arguments);
  if (!stream->exists) raise_stream_not_found(stream_name);
  reject_tombstoned(stream_name, stream);
  stream->lifecycle.max_count =
      limits->has_max_count ? std::optional<std::int64_t>(limits->max_count) : std::optional<std::int64_t>();
  stream->has_max_age = limits->has_max_age;
  if (limits->has_max_age) stream->max_age = limits->max_age;
  return true;
}

int64 checked_lifecycle_expected_version(FunctionCallInfo fcinfo) {
  require_argument(fcinfo, 1, "expected_version");
  return checked_expected_version(PG_GETARG_DATUM(1));
}

Datum delete_stream(FunctionCallInfo fcinfo) {
  require_writable("eventstore.delete_stream()");
  require_argument(fcinfo, 0, "stream_name");
  text* name = checked_stream_name(PG_GETARG_DATUM(0));
  int64 expected = checked_lifecycle_expected_version(fcinfo);
  StreamState stream = change_stream(name, soft_delete, &expected);
  return Int64GetDatum(stream.version);
}

Datum tombstone_stream(FunctionCallInfo fcinfo) {
  require_writable("eventstore.tombstone_stream()");
  require_argument(fcinfo, 0, "stream_name");
  text* name = checked_stream_name(PG_GETARG_DATUM(0));
  int64 expected = checked_lifecycle_expected_version(fcinfo);
  StreamState stream = change_stream(name, hard_delete, &expected);
  return Int64GetDatum(stream.version);
}

Datum truncate_stream(FunctionCallInfo fcinfo) {
  require_writable("eventstore.truncate_stream()");
  require_argument(fcinfo, 0, "stream_name");
  require_argument(fcinfo, 1, "before_version");
  text* name = checked_stream_name(PG_GETARG_DATUM(0));
  int64 before = PG_GETARG_INT64(1);
  if (before < 0) raise_invalid_parameter(core::below_minimum_message("before_version", 0, before).c_str());
  change_stream(name, truncate_before, &before);
  PG_RETURN_VOID();
}

Datum set_stream_limits(FunctionCallInfo fcinfo) {
  require_writable("eventstore.set_stream_limits()");
  require_argument(fcinfo, 0, "stream_name");
  text* name = checked_stream_name(PG_GETARG_DATUM(0));
  StreamLimits limits{};
  limits.has_max_count = !PG_ARGISNULL(1);
  limits.max_count = limits.has_max_count ? PG_GETARG_INT64(1) : 0;
  if (limits.has_max_count && limits.max_count < 1)
    raise_invalid_parameter(core::below_minimum_message("max_count", 1, limits.max_count).c_str());
  limits.has_max_age = !PG_ARGISNULL(2);
  if (limits.has_max_age) {
    limits.max_age = *PG_GETARG_INTERVAL_P(2);
    Interval zero{};
    if (DatumGetBool(DirectFunctionCall2(interval_le, IntervalPGetDatum(&limits.max_age), IntervalPGetDatum(&zero))))
      raise_invalid_parameter(core::max_age_not_positive_message);
  }
  change_stream(name, set_limits, &limits);
  PG_RETURN_VOID();
}

Datum stream_state(FunctionCallInfo fcinfo) {
  require_argument(fcinfo, 0, "stream_name");
  text* name = checked_stream_name(PG_GETARG_DATUM(0));
  InitMaterializedSRF(fcinfo, 0);
  auto* result = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  StreamState stream;
  if (find_stream_by_name(name, GetActiveSnapshot(), &stream)) {
    Datum values[7];
    bool is_null[7] = {};
    values[0] = Int64GetDatum(stream.version);
    values[1] = BoolGetDatum(stream.lifecycle.deleted);
    values[2] = BoolGetDatum(stream.lifecycle.tombstoned);
    values[3] = Int64GetDatum(stream.lifecycle.truncate_before);
    is_null[4] = !stream.lifecycle.max_count.has_value();
    values[4] = Int64GetDatum(stream.lifecycle.max_count.value_or(0));
    is_null[5] = !stream.has_max_age;
    values[5] = stream.has_max_age ? IntervalPGetDatum(&stream.max_age) : static_cast<Datum>(0);
    values[6] = TimestampTzGetDatum(stream.created_at);
    tuplestore_putvalues(result->setResult, result->setDesc, values, is_null);
  }
  return (Datum)0;
}

// Deletes the row at `tid`; one another reclaim deleted first counts as done.
bool delete_row(Relation relation, ItemPointer tid, Snapshot snapshot) {
  TM_FailureData failure;
  TM_Result result =
      table_tuple_delete(relation, tid, GetCurrentCommandId(true), snapshot, InvalidSnapshot, true, &failure, false);
  if (result == TM_Ok) return true;
  if (result == TM_Deleted || result == TM_Updated) return false;
  elog(ERROR, "unexpected result %d deleting a row of %s", static_cast<int>(result), RelationGetRelationName(relation));
  pg_unreachable();
}

// Deletes the hidden events of one stream, at most `budget`; returns how many.
int64 reclaim_stream_events(const StreamState* stream, int64 budget, Snapshot snapshot, ReclaimLedger* ledger) {
  StreamVisibility visibility = stream_visibility(stream);
  int64 deleted = 0;
  EventScan scan;
  begin_stream_scan(&scan, stream->stream_id, 0, ForwardScanDirection, snapshot, RowExclusiveLock);
  while (deleted < budget && next_event(&scan)) {
    CHECK_FOR_INTERRUPTS();
    // Past the hidden versions only age can hide an event, and ages grow with
    // versions: the first visible event ends the work for this stream.
    if (scanned_event_visible(&visibility, scan.slot)) break;
    if (delete_row(scan.heap, &scan.slot->tts_tid, snapshot)) {
      record_reclaimed_event(ledger, scan.slot);
      ++deleted;
    }
  }
  end_event_scan(&scan);
  return deleted;
}

Datum reclaim(FunctionCallInfo fcinfo) {
  require_writable("eventstore.reclaim()");
  require_argument(fcinfo, 0, "max_events");
  int32 max_events = PG_GETARG_INT32(0);
  if (max_events < 1) raise_invalid_parameter(core::below_minimum_message("max_events", 1, max_events).c_str());
  const StoreCatalog& catalog = store_catalog();
  Snapshot snapshot = RegisterSnapshot(GetLatestSnapshot());
  Relation streams = open_store_table(catalog.streams, AccessShareLock);
  if (RelationGetDescr(streams)->natts < stream_column_count)
    ereport(ERROR, (errcode(ERRCODE_ES_STORE_NOT_USABLE), errmsg("stream lifecycle needs pg_eventstore 0.2 or newer")));
  Relation events = open_store_table(catalog.events, RowExclusiveLock);
  const SnapshotCatalog& snapshot_relations = snapshot_catalog();
  Relation snapshots = open_store_table(snapshot_relations.snapshots, RowExclusiveLock);
  Relation snapshots_key = index_open(snapshot_relations.snapshots_pkey, RowExclusiveLock);
  EState* estate = CreateExecutorState();
  ReclaimLedger ledger;
  open_reclaim_ledger(&ledger, estate);

  int64 deleted = 0;
  TupleTableSlot* stream_slot = table_slot_create(streams, nullptr);
  TupleTableSlot* snapshot_slot = table_slot_create(snapshots, nullptr);
  TableScanDesc stream_scan = table_beginscan(streams, snapshot, 0, nullptr);
  while (deleted < max_events && table_scan_getnextslot(stream_scan, ForwardScanDirection, stream_slot)) {
    CHECK_FOR_INTERRUPTS();
    StreamState stream;
    read_stream_state(stream_slot, &stream);
    const core::StreamLifecycle& lifecycle = stream.lifecycle;
    if (!lifecycle.deleted && !lifecycle.tombstoned && lifecycle.truncate_before == 0 && !lifecycle.max_count &&
        !stream.has_max_age)
      continue;
    deleted += reclaim_stream_events(&stream, max_events - deleted, snapshot, &ledger);
    // Snapshots of hidden versions can never be loaded again.
    int64 first_version = stream_visibility(&stream).first_version;
    ScanKeyData key;
    ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(stream.stream_id));
    IndexScanDesc scan = index_beginscan(snapshots, snapshots_key, snapshot, 1, 0);
    index_rescan(scan, &key, 1, nullptr, 0);
    while (index_getnext_slot(scan, ForwardScanDirection, snapshot_slot)) {
      bool is_null;
      if (DatumGetInt64(slot_getattr(snapshot_slot, snapshot_column_version, &is_null)) < first_version)
        delete_row(snapshots, &snapshot_slot->tts_tid, snapshot);
    }
    index_endscan(scan);
  }
  table_endscan(stream_scan);
  purge_reclaim_ledger(&ledger, snapshot);
  close_reclaim_ledger(&ledger);
  FreeExecutorState(estate);
  ExecDropSingleTupleTableSlot(stream_slot);
  ExecDropSingleTupleTableSlot(snapshot_slot);
  index_close(snapshots_key, NoLock);
  table_close(snapshots, NoLock);
  table_close(events, NoLock);
  table_close(streams, NoLock);
  UnregisterSnapshot(snapshot);
  CommandCounterIncrement();
  return Int64GetDatum(deleted);
}

}  // namespace
}  // namespace eventstore::pg

EVENTSTORE_SQL_FUNCTION(eventstore_delete_stream, eventstore::pg::delete_stream)
EVENTSTORE_SQL_FUNCTION(eventstore_tombstone_stream, eventstore::pg::tombstone_stream)
EVENTSTORE_SQL_FUNCTION(eventstore_truncate_stream, eventstore::pg::truncate_stream)
EVENTSTORE_SQL_FUNCTION(eventstore_set_stream_limits, eventstore::pg::set_stream_limits)
EVENTSTORE_SQL_FUNCTION(eventstore_stream_state, eventstore::pg::stream_state)
EVENTSTORE_SQL_FUNCTION(eventstore_reclaim, eventstore::pg::reclaim)
