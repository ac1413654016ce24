// eventstore.append and eventstore.append_multi: events to one or several
// streams, atomically, each with an expected version. The stream row is
// locked first, so appends to one stream are serialised and the version check
// reads the version the last committed append wrote. A repeated append (same
// event ids, same payloads, as a client retry after a lost reply sends)
// returns the original result instead of writing anything.
#include "postgres.hpp"

#include <algorithm>
#include <string_view>

#include "arguments.hpp"
#include "boundary.hpp"
#include "composite_array.hpp"
#include "counters.hpp"
#include "error_codes.hpp"
#include "event_batch.hpp"
#include "event_table.hpp"
#include "eventstore/core/error_texts.hpp"
#include "eventstore/core/expected_version.hpp"
#include "eventstore/core/input_check.hpp"
#include "settings.hpp"
#include "stream_table.hpp"

namespace eventstore::pg {
namespace {

struct AppendSession {
  EState* estate;
  StreamWriter streams;
  EventWriter events;
};

struct AppendOutcome {
  int64 next_expected_version;
  int64 first_position;
  int64 last_position;
};

void begin_append(AppendSession* session, int largest_batch) {
  session->estate = CreateExecutorState();
  open_stream_writer(&session->streams, session->estate);
  open_event_writer(&session->events, session->estate, largest_batch);
}

void end_append(AppendSession* session) {
  close_event_writer(&session->events);
  close_stream_writer(&session->streams);
  FreeExecutorState(session->estate);
  // Later appends in this transaction, even in the same statement, must see these rows.
  CommandCounterIncrement();
}

void raise_event_id_reused(const char* stream_name, Datum event_id) {
  core::ErrorText message = core::event_id_reused_message(DatumGetCString(DirectFunctionCall1(uuid_out, event_id)));
  core::ErrorText detail = core::event_id_reused_detail(stream_name);
  ereport(ERROR, (errcode(ERRCODE_ES_EVENT_ID_REUSED), errmsg("%s", message.c_str()), errdetail("%s", detail.c_str())));
}

bool jsonb_equal(Datum a, Datum b) { return DatumGetBool(DirectFunctionCall2(jsonb_eq, a, b)); }

bool text_equal(Datum a, Datum b) {
  text* left = DatumGetTextPP(a);
  text* right = DatumGetTextPP(b);
  return VARSIZE_ANY_EXHDR(left) == VARSIZE_ANY_EXHDR(right) &&
         memcmp(VARDATA_ANY(left), VARDATA_ANY(right), VARSIZE_ANY_EXHDR(left)) == 0;
}

bool stored_event_matches(TupleTableSlot* stored, int64 stream_id, int64 version, const EventBatch* batch, int i) {
  slot_getallattrs(stored);
  Datum* values = stored->tts_values;
  bool* is_null = stored->tts_isnull;
  if (DatumGetInt64(values[event_column_stream_id - 1]) != stream_id) return false;
  if (DatumGetInt64(values[event_column_version - 1]) != version) return false;
  if (!text_equal(values[event_column_event_type - 1], batch->event_types[i])) return false;
  if (!jsonb_equal(values[event_column_data - 1], batch->data[i])) return false;
  if (is_null[event_column_metadata - 1] != batch->metadata_is_null[i]) return false;
  return batch->metadata_is_null[i] || jsonb_equal(values[event_column_metadata - 1], batch->metadata[i]);
}

// True when this append was already done, with `outcome` its original result.
// Raises when some of its ids belong to other events.
// Looks with the snapshot the stream was read with: an append that changed the
// stream after it is found on the next attempt, with a newer snapshot.
bool find_earlier_append(AppendSession* session, const char* stream_name, const StreamState* stream,
                         const EventBatch* batch, AppendOutcome* outcome) {
  bool any_given = false;
  for (int i = 0; i < batch->count; ++i) any_given |= batch->id_was_given[i];
  if (!any_given) return false;

  Snapshot probe = session->streams.snapshot;
  TupleTableSlot* stored = session->events.found;
  int found_count = 0;
  int first_found = 0;
  int64 base_version = 0;
  bool is_null;
  for (int i = 0; i < batch->count; ++i) {
    if (!batch->id_was_given[i] || !find_event_by_id(&session->events, batch->event_ids[i], probe)) continue;
    if (found_count++ == 0) {
      first_found = i;
      base_version = DatumGetInt64(slot_getattr(stored, event_column_version, &is_null)) - i;
    }
    if (!stream->exists || !stored_event_matches(stored, stream->stream_id, base_version + i, batch, i))
      raise_event_id_reused(stream_name, batch->event_ids[i]);
    int64 position = DatumGetInt64(slot_getattr(stored, event_column_position, &is_null));
    if (i == 0) outcome->first_position = position;
    if (i == batch->count - 1) outcome->last_position = position;
  }
  if (found_count == 0) return false;
  // A repeat is the whole append, never a part of it.
  if (found_count < batch->count) raise_event_id_reused(stream_name, batch->event_ids[first_found]);
  outcome->next_expected_version = base_version + batch->count - 1;
  return true;
}

void append_to_stream(AppendSession* session, text* name, int64 expected, const EventBatch* batch,
                      AppendOutcome* outcome) {
  const char* stream_name = text_to_cstring(name);
  StreamState stream;
  for (;;) {
    find_stream_for_append(&session->streams, name, &stream);
    reject_tombstoned(stream_name, &stream);
    if (find_earlier_append(session, stream_name, &stream, batch, outcome)) {
      release_creation_lock(&session->streams);
      return;
    }
    // A soft-deleted stream is appended to as if it did not exist; its
    // versions go on, and the events before the deletion stay hidden.
    bool recreating = stream.exists && stream.lifecycle.deleted;
    int64 current = recreating ? core::no_stream_version : stream.version;
    if (!core::expected_version_matches(expected, current)) {
      release_creation_lock(&session->streams);
      raise_wrong_expected_version(stream_name, expected, current);
    }
    if (recreating) {
      stream.lifecycle.deleted = false;
      stream.lifecycle.truncate_before = stream.version + 1;
    }
    stream.version += batch->count;
    if (!stream.exists) {
      create_stream(&session->streams, name, &stream);
      break;
    }
    if (write_stream_state(&session->streams, &stream)) break;
    // A concurrent call changed the stream first: decide again on its new state.
    take_newer_snapshot(&session->streams);
  }
  WrittenRange written;
  int64 first_version = stream.version - batch->count + 1;
  std::string_view category = core::category_of(std::string_view(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name)));
  write_events(&session->events, stream.stream_id,
               PointerGetDatum(cstring_to_text_with_len(category.data(), static_cast<int>(category.size()))),
               first_version, batch, &written);
  count_append(batch->count);
  outcome->next_expected_version = stream.version;
  outcome->first_position = written.first_position;
  outcome->last_position = written.last_position;
}

Datum append(FunctionCallInfo fcinfo) {
  require_argument(fcinfo, 0, "stream_name");
  require_argument(fcinfo, 1, "expected_version");
  require_argument(fcinfo, 2, "events");
  text* name = checked_stream_name(PG_GETARG_DATUM(0));
  int64 expected = checked_expected_version(PG_GETARG_DATUM(1));
  EventBatch batch;
  decode_event_batch(PG_GETARG_ARRAYTYPE_P(2), text_to_cstring(name), &batch);
  check_event_ids_unique(&batch, 1);

  AppendSession session;
  begin_append(&session, batch.count);
  AppendOutcome outcome;
  append_to_stream(&session, name, expected, &batch, &outcome);
  end_append(&session);

  TupleDesc descriptor;
  if (get_call_result_type(fcinfo, nullptr, &descriptor) != TYPEFUNC_COMPOSITE)
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED), errmsg("append must return a composite")));
  descriptor = BlessTupleDesc(descriptor);
  Datum values[3] = {Int64GetDatum(outcome.next_expected_version), Int64GetDatum(outcome.first_position),
                     Int64GetDatum(outcome.last_position)};
  bool is_null[3] = {false, false, false};
  return HeapTupleGetDatum(heap_form_tuple(descriptor, values, is_null));
}

// One element of append_multi's argument, decoded.
struct StreamAppend {
  text* name;
  int64 expected;
  EventBatch batch;
};

enum StreamAppendField { field_stream_name = 0, field_expected_version, field_events, stream_append_field_count };

void decode_stream_appends(ArrayType* appends, StreamAppend** decoded, int* count) {
  CompositeArray elements;
  open_composite_array(&elements, appends, stream_append_field_count,
                       "appends must be of type eventstore.stream_append");
  *count = elements.count;
  if (*count == 0) ereport(ERROR, (errcode(ERRCODE_ES_NO_EVENTS), errmsg("append_multi needs at least one stream")));
  *decoded = static_cast<StreamAppend*>(palloc(sizeof(StreamAppend) * *count));
  int total_events = 0;
  for (int i = 0; i < *count; ++i) {
    if (elements.element_is_null[i])
      ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("stream append %d must not be NULL", i + 1)));
    Datum values[stream_append_field_count];
    bool is_null[stream_append_field_count];
    read_composite_element(&elements, i, values, is_null);
    static const char* const field_names[] = {"stream_name", "expected_version", "events"};
    for (int field = 0; field < stream_append_field_count; ++field)
      if (is_null[field])
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("%s of stream append %d must not be NULL", field_names[field], i + 1)));
    StreamAppend* append = &(*decoded)[i];
    append->name = checked_stream_name(values[field_stream_name]);
    append->expected = checked_expected_version(values[field_expected_version]);
    decode_event_batch(DatumGetArrayTypeP(values[field_events]), text_to_cstring(append->name), &append->batch);
    total_events += append->batch.count;
  }
  close_composite_array(&elements);
  if (total_events > settings::max_append_events) {
    core::ErrorText message = core::too_many_events_in_append_multi_message(settings::max_append_events, total_events);
    ereport(ERROR, (errcode(ERRCODE_ES_TOO_MANY_EVENTS), errmsg("%s", message.c_str()),
                    errhint("%s", core::too_many_events_hint)));
  }
}

int compare_names(text* a, text* b) {
  int length_a = VARSIZE_ANY_EXHDR(a);
  int length_b = VARSIZE_ANY_EXHDR(b);
  int order = memcmp(VARDATA_ANY(a), VARDATA_ANY(b), Min(length_a, length_b));
  return order != 0 ? order : length_a - length_b;
}

Datum append_multi(FunctionCallInfo fcinfo) {
  require_argument(fcinfo, 0, "appends");
  StreamAppend* appends;
  int count;
  decode_stream_appends(PG_GETARG_ARRAYTYPE_P(0), &appends, &count);

  // Lock streams in name order, so that two calls naming the same streams cannot deadlock.
  int* order = static_cast<int*>(palloc(sizeof(int) * count));
  for (int i = 0; i < count; ++i) order[i] = i;
  std::sort(order, order + count,
            [appends](int a, int b) { return compare_names(appends[a].name, appends[b].name) < 0; });
  int largest_batch = 0;
  for (int i = 0; i < count; ++i) {
    if (i > 0 && compare_names(appends[order[i - 1]].name, appends[order[i]].name) == 0)
      ereport(ERROR,
              (errcode(ERRCODE_ES_DUPLICATE_STREAM),
               errmsg("stream \"%s\" appears more than once in append_multi", text_to_cstring(appends[order[i]].name)),
               errhint("Put all of a stream's events into one element.")));
    largest_batch = Max(largest_batch, appends[i].batch.count);
  }
  EventBatch* batches = static_cast<EventBatch*>(palloc(sizeof(EventBatch) * count));
  for (int i = 0; i < count; ++i) batches[i] = appends[i].batch;
  check_event_ids_unique(batches, count);

  AppendSession session;
  begin_append(&session, largest_batch);
  AppendOutcome* outcomes = static_cast<AppendOutcome*>(palloc(sizeof(AppendOutcome) * count));
  for (int i = 0; i < count; ++i) {
    const StreamAppend& append = appends[order[i]];
    append_to_stream(&session, append.name, append.expected, &append.batch, &outcomes[order[i]]);
  }
  end_append(&session);

  InitMaterializedSRF(fcinfo, 0);
  ReturnSetInfo* result = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  for (int i = 0; i < count; ++i) {
    Datum values[4] = {PointerGetDatum(appends[i].name), Int64GetDatum(outcomes[i].next_expected_version),
                       Int64GetDatum(outcomes[i].first_position), Int64GetDatum(outcomes[i].last_position)};
    bool is_null[4] = {false, false, false, false};
    tuplestore_putvalues(result->setResult, result->setDesc, values, is_null);
  }
  return (Datum)0;
}

}  // namespace
}  // namespace eventstore::pg

EVENTSTORE_SQL_FUNCTION(eventstore_append, eventstore::pg::append)
EVENTSTORE_SQL_FUNCTION(eventstore_append_multi, eventstore::pg::append_multi)
