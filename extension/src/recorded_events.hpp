// The result of every read: rows of eventstore.recorded_event (or of
// eventstore.loaded_row, the same columns but the first), materialised into
// the function's tuplestore (which spills to disk past work_mem, so a large
// page does not need memory of its size).
#pragma once

#include "postgres.hpp"

namespace eventstore::pg {

struct RecordedEvents {
  ReturnSetInfo* result;
  MemoryContext row_context;
};

void begin_recorded_events(RecordedEvents* rows, FunctionCallInfo fcinfo);

// Adds the event in `event` (a slot of eventstore.events); `leading_value` is
// the first column: the stream name, or false for "not a snapshot".
void put_recorded_event(RecordedEvents* rows, Datum leading_value, TupleTableSlot* event);

// Adds load()'s snapshot row: is_snapshot, version, the state as data.
void put_snapshot_row(RecordedEvents* rows, int64 version, Datum state, TimestampTz created_at);

void end_recorded_events(RecordedEvents* rows);

}  // namespace eventstore::pg
