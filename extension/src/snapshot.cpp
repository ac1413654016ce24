// eventstore.save_snapshot and eventstore.load: aggregate state at a version,
// and loading a stream as its newest snapshot of one state schema version plus
// the events after it, in one call. A snapshot of another state schema version
// is ignored: the caller's aggregate replays from the start instead.
#include "postgres.hpp"

#include "arguments.hpp"
#include "boundary.hpp"
#include "error_codes.hpp"
#include "event_table.hpp"
#include "eventstore/core/error_texts.hpp"
#include "recorded_events.hpp"
#include "settings.hpp"
#include "snapshot_table.hpp"
#include "stream_table.hpp"
#include "visible_events.hpp"

namespace eventstore::pg {
namespace {

void raise_invalid_snapshot(const char* message) {
  ereport(ERROR, (errcode(ERRCODE_ES_INVALID_SNAPSHOT), errmsg("%s", message)));
}

Datum save_snapshot(FunctionCallInfo fcinfo) {
  require_writable("eventstore.save_snapshot()");
  require_argument(fcinfo, 0, "stream_name");
  require_argument(fcinfo, 1, "version");
  require_argument(fcinfo, 2, "state");
  require_argument(fcinfo, 3, "state_schema_version");
  text* name = checked_stream_name(PG_GETARG_DATUM(0));
  int64 version = PG_GETARG_INT64(1);
  Datum state = PG_GETARG_DATUM(2);
  int32 state_schema_version = PG_GETARG_INT32(3);
  int32 keep = PG_ARGISNULL(4) ? settings::snapshots_to_keep : PG_GETARG_INT32(4);
  const char* stream_name = text_to_cstring(name);
  if (keep < 1) raise_invalid_snapshot(core::below_minimum_message("keep", 1, keep).c_str());
  Size size = toast_raw_datum_size(state);
  if (size > static_cast<Size>(settings::max_snapshot_size))
    raise_invalid_snapshot(
        core::snapshot_too_large_message(stream_name, static_cast<int64>(size), settings::max_snapshot_size).c_str());

  StreamState stream;
  find_stream_by_name(name, GetActiveSnapshot(), &stream);
  reject_tombstoned(stream_name, &stream);
  if (!stream.exists) raise_invalid_snapshot(core::no_events_to_snapshot_message(stream_name).c_str());
  int64 first_visible = stream_visibility(&stream).first_version;
  if (version < first_visible || version > stream.version)
    raise_invalid_snapshot(
        core::no_version_to_snapshot_message(stream_name, version, first_visible, stream.version).c_str());
  store_snapshot(stream.stream_id, state_schema_version, version, state, keep);
  PG_RETURN_VOID();
}

Datum load(FunctionCallInfo fcinfo) {
  require_argument(fcinfo, 0, "stream_name");
  require_argument(fcinfo, 1, "state_schema_version");
  text* name = checked_stream_name(PG_GETARG_DATUM(0));
  int32 state_schema_version = PG_GETARG_INT32(1);
  int32 max_count = checked_max_count(fcinfo, 2);

  RecordedEvents rows;
  begin_recorded_events(&rows, fcinfo);
  Snapshot snapshot = GetActiveSnapshot();
  StreamState stream;
  if (find_stream_by_name(name, snapshot, &stream)) {
    reject_tombstoned(text_to_cstring(name), &stream);
    StreamVisibility visibility = stream_visibility(&stream);
    int64 from_version = visibility.first_version;
    // A snapshot of hidden versions (before a truncation or a soft delete) would bring them back.
    FoundSnapshot found;
    if (find_newest_snapshot(stream.stream_id, state_schema_version, snapshot, &found) &&
        found.version >= visibility.first_version && found.version <= stream.version) {
      put_snapshot_row(&rows, found.version, found.state, found.created_at);
      from_version = found.version + 1;
    }
    EventScan scan;
    begin_stream_scan(&scan, stream.stream_id, from_version, ForwardScanDirection, snapshot);
    int32 count = 0;
    while (count < max_count && next_event(&scan)) {
      CHECK_FOR_INTERRUPTS();
      if (!scanned_event_visible(&visibility, scan.slot)) continue;
      put_recorded_event(&rows, BoolGetDatum(false), scan.slot);
      ++count;
    }
    end_event_scan(&scan);
  }
  end_recorded_events(&rows);
  return (Datum)0;
}

}  // namespace
}  // namespace eventstore::pg

EVENTSTORE_SQL_FUNCTION(eventstore_save_snapshot, eventstore::pg::save_snapshot)
EVENTSTORE_SQL_FUNCTION(eventstore_load, eventstore::pg::load)
