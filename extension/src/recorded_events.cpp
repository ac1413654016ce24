#include "recorded_events.hpp"

#include "event_table.hpp"

namespace eventstore::pg {
namespace {

enum RecordedEventField {
  field_leading = 0,  // stream_name, or is_snapshot
  field_version,
  field_position,
  field_transaction_id,
  field_event_id,
  field_event_type,
  field_data,
  field_metadata,
  field_created_at,
  field_count
};

// Values stored out of line are fetched now: the tuplestore outlives the scan.
Datum inline_value(Datum value) {
  if (VARATT_IS_EXTERNAL_ONDISK(DatumGetPointer(value)))
    return PointerGetDatum(detoast_external_attr(reinterpret_cast<struct varlena*>(DatumGetPointer(value))));
  return value;
}

}  // namespace

void begin_recorded_events(RecordedEvents* rows, FunctionCallInfo fcinfo) {
  InitMaterializedSRF(fcinfo, 0);
  rows->result = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  if (rows->result->setDesc->natts != field_count)
    ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH), errmsg("reads must return eventstore.recorded_event")));
  rows->row_context = AllocSetContextCreate(CurrentMemoryContext, "pg_eventstore read row", ALLOCSET_SMALL_SIZES);
}

void put_recorded_event(RecordedEvents* rows, Datum leading_value, TupleTableSlot* event) {
  MemoryContext caller = MemoryContextSwitchTo(rows->row_context);
  slot_getallattrs(event);
  const Datum* stored = event->tts_values;
  const bool* stored_is_null = event->tts_isnull;
  Datum values[field_count];
  bool is_null[field_count] = {};
  values[field_leading] = leading_value;
  values[field_version] = stored[event_column_version - 1];
  values[field_position] = stored[event_column_position - 1];
  values[field_transaction_id] = stored[event_column_transaction_id - 1];
  values[field_event_id] = stored[event_column_event_id - 1];
  values[field_event_type] = stored[event_column_event_type - 1];
  values[field_data] = inline_value(stored[event_column_data - 1]);
  is_null[field_metadata] = stored_is_null[event_column_metadata - 1];
  values[field_metadata] = is_null[field_metadata] ? (Datum)0 : inline_value(stored[event_column_metadata - 1]);
  values[field_created_at] = stored[event_column_created_at - 1];
  tuplestore_putvalues(rows->result->setResult, rows->result->setDesc, values, is_null);
  MemoryContextSwitchTo(caller);
  MemoryContextReset(rows->row_context);
}

void put_snapshot_row(RecordedEvents* rows, int64 version, Datum state, TimestampTz created_at) {
  Datum values[field_count] = {};
  bool is_null[field_count];
  for (bool& null : is_null) null = true;
  values[field_leading] = BoolGetDatum(true);
  values[field_version] = Int64GetDatum(version);
  values[field_data] = state;
  values[field_created_at] = TimestampTzGetDatum(created_at);
  is_null[field_leading] = is_null[field_version] = is_null[field_data] = is_null[field_created_at] = false;
  tuplestore_putvalues(rows->result->setResult, rows->result->setDesc, values, is_null);
}

void end_recorded_events(RecordedEvents* rows) { MemoryContextDelete(rows->row_context); }

}  // namespace eventstore::pg
