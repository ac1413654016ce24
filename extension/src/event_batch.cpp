#include "event_batch.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "composite_array.hpp"
#include "error_codes.hpp"
#include "event_id.hpp"
#include "eventstore/core/error_texts.hpp"
#include "eventstore/core/input_check.hpp"
#include "settings.hpp"

namespace eventstore::pg {
namespace {

enum EventDataField { field_event_id = 0, field_event_type, field_data, field_metadata, field_count };

void raise_null(const char* stream_name, int index, const char* what) {
  ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("%s of event %d of stream \"%s\" must not be NULL",
                                                                  what, index + 1, core::echoed(stream_name).text)));
}

}  // namespace

void decode_event_batch(ArrayType* events, const char* stream_name, EventBatch* batch) {
  if (ARR_NDIM(events) > 1)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("events of stream \"%s\" must be a one-dimensional array", core::echoed(stream_name).text)));
  int count = ArrayGetNItems(ARR_NDIM(events), ARR_DIMS(events));
  if (count == 0) {
    core::ErrorText message = core::no_events_message(stream_name);
    ereport(ERROR, (errcode(ERRCODE_ES_NO_EVENTS), errmsg("%s", message.c_str())));
  }
  if (count > settings::max_append_events) {
    core::ErrorText message = core::too_many_events_message(settings::max_append_events, count, stream_name);
    ereport(ERROR, (errcode(ERRCODE_ES_TOO_MANY_EVENTS), errmsg("%s", message.c_str()),
                    errhint("%s", core::too_many_events_hint)));
  }

  CompositeArray elements;
  open_composite_array(&elements, events, field_count, "events must be of type eventstore.event_data");
  count = elements.count;

  batch->count = count;
  batch->event_ids = static_cast<Datum*>(palloc(sizeof(Datum) * count));
  batch->id_was_given = static_cast<bool*>(palloc(sizeof(bool) * count));
  batch->event_types = static_cast<Datum*>(palloc(sizeof(Datum) * count));
  batch->data = static_cast<Datum*>(palloc(sizeof(Datum) * count));
  batch->metadata = static_cast<Datum*>(palloc(sizeof(Datum) * count));
  batch->metadata_is_null = static_cast<bool*>(palloc(sizeof(bool) * count));

  for (int i = 0; i < count; ++i) {
    if (elements.element_is_null[i])
      ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                      errmsg("event %d of stream \"%s\" must not be NULL", i + 1, core::echoed(stream_name).text)));
    Datum values[field_count];
    bool is_null[field_count];
    read_composite_element(&elements, i, values, is_null);

    if (is_null[field_event_type]) raise_null(stream_name, i, "event_type");
    text* type = DatumGetTextPP(values[field_event_type]);
    std::string_view type_view(VARDATA_ANY(type), VARSIZE_ANY_EXHDR(type));
    if (auto problem = core::check_event_type(type_view))
      ereport(ERROR, (errcode(sqlstate_of(*problem)), errmsg("%s (event %d of stream \"%s\")", core::describe(*problem),
                                                             i + 1, core::echoed(stream_name).text)));
    if (is_null[field_data]) raise_null(stream_name, i, "data");

    Size size = toast_raw_datum_size(values[field_data]);
    if (!is_null[field_metadata]) size += toast_raw_datum_size(values[field_metadata]);
    if (size > static_cast<Size>(settings::max_event_size)) {
      core::ErrorText message =
          core::event_too_large_message(i + 1, stream_name, static_cast<int64>(size), settings::max_event_size);
      ereport(ERROR, (errcode(ERRCODE_ES_EVENT_TOO_LARGE), errmsg("%s", message.c_str()),
                      errhint("%s", core::event_too_large_hint)));
    }

    batch->id_was_given[i] = !is_null[field_event_id];
    batch->event_ids[i] = is_null[field_event_id] ? new_event_id() : values[field_event_id];
    batch->event_types[i] = PointerGetDatum(type);
    batch->data[i] = values[field_data];
    batch->metadata[i] = values[field_metadata];
    batch->metadata_is_null[i] = is_null[field_metadata];
  }
  close_composite_array(&elements);
}

void check_event_ids_unique(const EventBatch* batches, int batch_count) {
  int total = 0;
  for (int b = 0; b < batch_count; ++b) total += batches[b].count;
  if (total < 2) return;
  auto* ids = static_cast<const pg_uuid_t**>(palloc(sizeof(pg_uuid_t*) * total));
  int n = 0;
  for (int b = 0; b < batch_count; ++b)
    for (int i = 0; i < batches[b].count; ++i) ids[n++] = DatumGetUUIDP(batches[b].event_ids[i]);
  auto less = [](const pg_uuid_t* a, const pg_uuid_t* b) { return std::memcmp(a->data, b->data, UUID_LEN) < 0; };
  std::sort(ids, ids + n, less);
  for (int i = 1; i < n; ++i)
    if (std::memcmp(ids[i - 1]->data, ids[i]->data, UUID_LEN) == 0) {
      core::ErrorText message =
          core::duplicate_event_id_message(DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(ids[i]))));
      ereport(ERROR, (errcode(ERRCODE_ES_DUPLICATE_EVENT_ID), errmsg("%s", message.c_str())));
    }
  pfree(ids);
}

}  // namespace eventstore::pg
