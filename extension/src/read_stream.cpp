// eventstore.read_stream and eventstore.stream_version: one stream, a page at
// a time, forwards or backwards through the (stream_id, version) index.
#include "postgres.hpp"

#include <cstring>

#include "arguments.hpp"
#include "boundary.hpp"
#include "event_table.hpp"
#include "eventstore/core/error_texts.hpp"
#include "recorded_events.hpp"
#include "stream_table.hpp"
#include "visible_events.hpp"

namespace eventstore::pg {
namespace {

ScanDirection checked_direction(FunctionCallInfo fcinfo, int argument) {
  require_argument(fcinfo, argument, "direction");
  const char* direction = text_to_cstring(PG_GETARG_TEXT_PP(argument));
  if (std::strcmp(direction, "forward") == 0) return ForwardScanDirection;
  if (std::strcmp(direction, "backward") == 0) return BackwardScanDirection;
  raise_invalid_read_argument(
      psprintf("direction must be 'forward' or 'backward', got '%s'", core::echoed(direction).text));
}

Datum read_stream(FunctionCallInfo fcinfo) {
  require_argument(fcinfo, 0, "stream_name");
  text* name = checked_stream_name(PG_GETARG_DATUM(0));
  int32 max_count = checked_max_count(fcinfo, 2);
  ScanDirection direction = checked_direction(fcinfo, 3);
  int64 from_version = direction == ForwardScanDirection ? 0 : PG_INT64_MAX;
  if (!PG_ARGISNULL(1)) {
    from_version = PG_GETARG_INT64(1);
    if (from_version < 0)
      raise_invalid_read_argument(core::below_minimum_message("from_version", 0, from_version).c_str());
  }

  RecordedEvents rows;
  begin_recorded_events(&rows, fcinfo);
  Snapshot snapshot = GetActiveSnapshot();
  StreamState stream;
  if (find_stream_by_name(name, snapshot, &stream)) {
    reject_tombstoned(text_to_cstring(name), &stream);
    StreamVisibility visibility = stream_visibility(&stream);
    bool forward = direction == ForwardScanDirection;
    if (forward) from_version = Max(from_version, visibility.first_version);
    EventScan scan;
    begin_stream_scan(&scan, stream.stream_id, from_version, direction, snapshot);
    int32 count = 0;
    while (count < max_count && next_event(&scan)) {
      CHECK_FOR_INTERRUPTS();
      if (!scanned_event_visible(&visibility, scan.slot)) {
        // Hidden events are the oldest ones: going back, nothing visible follows.
        if (!forward) break;
        continue;
      }
      put_recorded_event(&rows, PointerGetDatum(name), scan.slot);
      ++count;
    }
    end_event_scan(&scan);
  }
  end_recorded_events(&rows);
  return (Datum)0;
}

Datum stream_version(FunctionCallInfo fcinfo) {
  require_argument(fcinfo, 0, "stream_name");
  text* name = checked_stream_name(PG_GETARG_DATUM(0));
  StreamState stream;
  find_stream_by_name(name, GetActiveSnapshot(), &stream);
  reject_tombstoned(text_to_cstring(name), &stream);
  // A soft-deleted stream is appended to as one that does not exist.
  return Int64GetDatum(stream.exists && stream.lifecycle.deleted ? -1 : stream.version);
}

}  // namespace
}  // namespace eventstore::pg

EVENTSTORE_SQL_FUNCTION(eventstore_read_stream, eventstore::pg::read_stream)
EVENTSTORE_SQL_FUNCTION(eventstore_stream_version, eventstore::pg::stream_version)
