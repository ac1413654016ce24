#include "visible_events.hpp"

namespace eventstore::pg {

StreamVisibility stream_visibility(const StreamState* stream) {
  StreamVisibility visibility;
  visibility.first_version = core::first_visible_version(stream->version, stream->lifecycle);
  visibility.has_age_limit = stream->has_max_age;
  visibility.oldest_visible = 0;
  if (stream->has_max_age) {
    // The age is measured from the start of the reading transaction, as now() is.
    Datum now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
    visibility.oldest_visible = DatumGetTimestampTz(
        DirectFunctionCall2(timestamptz_mi_interval, now, IntervalPGetDatum(&stream->max_age)));
  }
  return visibility;
}

}  // namespace eventstore::pg
