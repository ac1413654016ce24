#include "visible_events.hpp"

#include "event_table.hpp"

namespace eventstore::pg {

StreamVisibility stream_visibility(const StreamState* stream) {
  StreamVisibility visibility;
  visibility.first_version = core::first_visible_version(stream->version, stream->lifecycle);
  visibility.has_age_limit = stream->has_max_age;
  visibility.oldest_visible = 0;
  if (stream->has_max_age) {
    // The age is measured from the start of the reading transaction, as now() is.
    Datum now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
    visibility.oldest_visible =
        DatumGetTimestampTz(DirectFunctionCall2(timestamptz_mi_interval, now, IntervalPGetDatum(&stream->max_age)));
  }
  return visibility;
}

bool scanned_event_visible(const StreamVisibility* visibility, TupleTableSlot* slot) {
  bool is_null;
  int64 version = DatumGetInt64(slot_getattr(slot, event_column_version, &is_null));
  TimestampTz created_at = DatumGetTimestampTz(slot_getattr(slot, event_column_created_at, &is_null));
  return version >= visibility->first_version &&
         (!visibility->has_age_limit || created_at >= visibility->oldest_visible);
}

}  // namespace eventstore::pg
