// eventstore.append and eventstore.append_multi: events to one or several
// streams, atomically, each with an expected version. Every stream row of the
// call is locked first (in name order), so appends to one stream are
// serialised and the version check reads the version the last committed
// append wrote; then the transaction takes its log transaction
// (log_transactions.hpp), and only then are the events written, so that a
// stream's events come in version order in the global log. A repeated append (same
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
#include "log_transactions.hpp"
#include "reclaimed_events.hpp"
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

// Whether some of the stream's events may have been reclaimed (deleted by
// reclaim() because the lifecycle hid them): only then is the ledger of
// reclaimed ids worth a look.
bool may_have_reclaimed_events(const StreamState* stream) {
  return stream->exists && core::may_have_reclaimed_events(stream->lifecycle, stream->has_max_age);
}

// An event of an earlier append, found by id: in the store (payload known) or
// in the ledger of reclaimed ids (only its place known).
struct RecordedEvent {
  int64 stream_id;
  int64 version;
  int64 position;
  bool in_store;
};

bool find_recorded_event(AppendSession* session, const StreamState* stream, Datum event_id, Snapshot snapshot,
                         RecordedEvent* found) {
  TupleTableSlot* stored = session->events.found;
  bool is_null;
  if (find_event_by_id(&session->events, event_id, snapshot)) {
    found->stream_id = DatumGetInt64(slot_getattr(stored, event_column_stream_id, &is_null));
    found->version = DatumGetInt64(slot_getattr(stored, event_column_version, &is_null));
    found->position = DatumGetInt64(slot_getattr(stored, event_column_position, &is_null));
    found->in_store = true;
    return true;
  }
  ReclaimedEvent reclaimed;
  if (!may_have_reclaimed_events(stream) || !find_reclaimed_event(event_id, snapshot, &reclaimed)) return false;
  *found = RecordedEvent{reclaimed.stream_id, reclaimed.version, reclaimed.position, false};
  return true;
}

// True when this append was already done, with `outcome` its original result.
// Raises when some of its ids belong to other events. An event reclaimed
// since is recognised by its id, stream and version (its payload is gone).
// Looks with the snapshot the stream was read with: an append that changed the
// stream after it is found on the next attempt, with a newer snapshot.
bool find_earlier_append(AppendSession* session, const char* stream_name, const StreamState* stream,
                         const EventBatch* batch, AppendOutcome* outcome) {
  bool any_given = false;
  for (int i = 0; i < batch->count; ++i) any_given |= batch->id_was_given[i];
  if (!any_given) return false;

  Snapshot probe = session->streams.snapshot;
  int found_count = 0;
  int first_found = 0;
  int64 base_version = 0;
  for (int i = 0; i < batch->count; ++i) {
    RecordedEvent recorded;
    if (!batch->id_was_given[i] || !find_recorded_event(session, stream, batch->event_ids[i], probe, &recorded))
      continue;
    if (found_count++ == 0) {
      first_found = i;
      base_version = recorded.version - i;
    }
    bool same_place = stream->exists && recorded.stream_id == stream->stream_id && recorded.version == base_version + i;
    if (!same_place || (recorded.in_store &&
                        !stored_event_matches(session->events.found, stream->stream_id, base_version + i, batch, i)))
      raise_event_id_reused(stream_name, batch->event_ids[i]);
    if (i == 0) outcome->first_position = recorded.position;
    if (i == batch->count - 1) outcome->last_position = recorded.position;
  }
  if (found_count == 0) return false;
  // A repeat is the whole append, never a part of it.
  if (found_count < batch->count) raise_event_id_reused(stream_name, batch->event_ids[first_found]);
  outcome->next_expected_version = base_version + batch->count - 1;
  return true;
}

// One stream's part of an append, decided with the stream locked.
struct StreamPlan {
  text* name;
  const char* stream_name;
  const EventBatch* batch;
  StreamState stream;  // as written: stream.version is the new last version
  int64 last_version;  // the stream's last version before this append (-1: none)
  bool repeat;         // already done: nothing to write
};

// Locks the stream (its row is written, or created), checks the expected
// version, and recognises a repeated append. Writes no events: those come
// once every stream of the call is locked and the log transaction is taken.
void plan_stream_append(AppendSession* session, text* name, int64 expected, const EventBatch* batch, StreamPlan* plan,
                        AppendOutcome* outcome) {
  plan->name = name;
  plan->stream_name = text_to_cstring(name);
  plan->batch = batch;
  plan->repeat = false;
  StreamState& stream = plan->stream;
  for (;;) {
    find_stream_for_append(&session->streams, name, &stream);
    reject_tombstoned(plan->stream_name, &stream);
    if (find_earlier_append(session, plan->stream_name, &stream, batch, outcome)) {
      release_creation_lock(&session->streams);
      plan->repeat = true;
      return;
    }
    plan->last_version = stream.exists ? stream.version : -1;
    // A soft-deleted stream is appended to as if it did not exist; its
    // versions go on, and the events before the deletion stay hidden.
    bool recreating = stream.exists && stream.lifecycle.deleted;
    int64 current = recreating ? core::no_stream_version : stream.version;
    if (!core::expected_version_matches(expected, current)) {
      release_creation_lock(&session->streams);
      raise_wrong_expected_version(plan->stream_name, expected, current);
    }
    if (recreating) {
      stream.lifecycle.deleted = false;
      stream.lifecycle.truncate_before = stream.version + 1;
    }
    stream.version += batch->count;
    if (!stream.exists) {
      create_stream(&session->streams, name, &stream);
      return;
    }
    if (write_stream_state(&session->streams, &stream)) return;
    // A concurrent call changed the stream first: decide again on its new state.
    take_newer_snapshot(&session->streams);
  }
}

// A transaction that took its log transaction in an earlier call may meet a
// stream whose last event another transaction appended since, with a newer
// log transaction: its events would come before that event in the log.
// Refused as a serialization failure: retried, the transaction takes a new
// log transaction after the other's.
void check_log_order(AppendSession* session, const StreamPlan* plan, FullTransactionId log_transaction) {
  if (plan->repeat || plan->last_version < 0) return;
  EventScan scan;
  begin_stream_scan(&scan, plan->stream.stream_id, plan->last_version, ForwardScanDirection, session->streams.snapshot);
  bool is_null;
  if (next_event(&scan) &&
      DatumGetInt64(slot_getattr(scan.slot, event_column_version, &is_null)) == plan->last_version) {
    FullTransactionId last = DatumGetFullTransactionId(slot_getattr(scan.slot, event_column_transaction_id, &is_null));
    if (FullTransactionIdPrecedes(log_transaction, last)) {
      core::ErrorText message = core::log_order_conflict_message(plan->stream_name);
      ereport(ERROR, (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE), errmsg("%s", message.c_str()),
                      errdetail("This transaction took its place in the global log (log transaction %llu) at an "
                                "earlier append; the stream's last event was appended after that, by log "
                                "transaction %llu.",
                                static_cast<unsigned long long>(U64FromFullTransactionId(log_transaction)),
                                static_cast<unsigned long long>(U64FromFullTransactionId(last))),
                      errhint("%s", core::log_order_conflict_hint)));
    }
  }
  end_event_scan(&scan);
}

void write_planned_events(AppendSession* session, const StreamPlan* plan, FullTransactionId log_transaction,
                          AppendOutcome* outcome) {
  if (plan->repeat) return;
  const EventBatch* batch = plan->batch;
  WrittenRange written;
  int64 first_version = plan->stream.version - batch->count + 1;
  text* name = plan->name;
  std::string_view category = core::category_of(std::string_view(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name)));
  write_events(&session->events, plan->stream.stream_id,
               PointerGetDatum(cstring_to_text_with_len(category.data(), static_cast<int>(category.size()))),
               first_version, log_transaction, batch, &written);
  count_append(batch->count);
  outcome->next_expected_version = plan->stream.version;
  outcome->first_position = written.first_position;
  outcome->last_position = written.last_position;
}

// With every stream of the call locked: the log transaction, then the events.
void write_planned_appends(AppendSession* session, const StreamPlan* plans, int count, AppendOutcome* outcomes) {
  bool anything_to_write = false;
  for (int i = 0; i < count; ++i) anything_to_write |= !plans[i].repeat;
  if (!anything_to_write) return;
  bool taken_before = FullTransactionIdIsValid(current_log_transaction());
  FullTransactionId log_transaction = take_log_transaction();
  if (taken_before)
    for (int i = 0; i < count; ++i) check_log_order(session, &plans[i], log_transaction);
  for (int i = 0; i < count; ++i) write_planned_events(session, &plans[i], log_transaction, &outcomes[i]);
}

Datum append(FunctionCallInfo fcinfo) {
  require_writable("eventstore.append()");
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
  StreamPlan plan;
  plan_stream_append(&session, name, expected, &batch, &plan, &outcome);
  write_planned_appends(&session, &plan, 1, &outcome);
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
  require_writable("eventstore.append_multi()");
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
      ereport(ERROR, (errcode(ERRCODE_ES_DUPLICATE_STREAM),
                      errmsg("stream \"%s\" appears more than once in append_multi",
                             core::echoed(text_to_cstring(appends[order[i]].name)).text),
                      errhint("Put all of a stream's events into one element.")));
    largest_batch = Max(largest_batch, appends[i].batch.count);
  }
  EventBatch* batches = static_cast<EventBatch*>(palloc(sizeof(EventBatch) * count));
  for (int i = 0; i < count; ++i) batches[i] = appends[i].batch;
  check_event_ids_unique(batches, count);

  AppendSession session;
  begin_append(&session, largest_batch);
  // Sorted plans and outcomes: outcome i belongs to appends[order[i]].
  auto* sorted_outcomes = static_cast<AppendOutcome*>(palloc(sizeof(AppendOutcome) * count));
  auto* plans = static_cast<StreamPlan*>(palloc(sizeof(StreamPlan) * count));
  for (int i = 0; i < count; ++i) {
    const StreamAppend& append = appends[order[i]];
    plan_stream_append(&session, append.name, append.expected, &append.batch, &plans[i], &sorted_outcomes[i]);
  }
  write_planned_appends(&session, plans, count, sorted_outcomes);
  end_append(&session);
  auto* outcomes = static_cast<AppendOutcome*>(palloc(sizeof(AppendOutcome) * count));
  for (int i = 0; i < count; ++i) outcomes[order[i]] = sorted_outcomes[i];

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
