// The result of every read: rows of eventstore.recorded_event, materialised
// into the function's tuplestore (which spills to disk past work_mem, so a
// large page does not need memory of its size).
#pragma once

#include "postgres.hpp"

namespace eventstore::pg {

struct RecordedEvents {
  ReturnSetInfo* result;
  MemoryContext row_context;
};

void begin_recorded_events(RecordedEvents* rows, FunctionCallInfo fcinfo);

// Adds the event in `event` (a slot of eventstore.events) under `stream_name`.
void put_recorded_event(RecordedEvents* rows, Datum stream_name, TupleTableSlot* event);

void end_recorded_events(RecordedEvents* rows);

}  // namespace eventstore::pg
