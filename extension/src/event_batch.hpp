// The events argument of an append, decoded from eventstore.event_data[] and
// checked: every event has a valid type and data, fits eventstore.max_event_size,
// and has an id (given, or a new time-ordered one) that no other event of the
// call has.
#pragma once

#include "postgres.hpp"

namespace eventstore::pg {

struct EventBatch {
  int count;
  Datum* event_ids;    // uuid
  bool* id_was_given;  // false: generated here, so it cannot match a stored event
  Datum* event_types;  // text
  Datum* data;         // jsonb
  Datum* metadata;     // jsonb
  bool* metadata_is_null;
};

// `stream_name` only names the stream in error messages.
void decode_event_batch(ArrayType* events, const char* stream_name, EventBatch* batch);

// Rejects ids that appear twice among all the events of one call.
void check_event_ids_unique(const EventBatch* batches, int batch_count);

}  // namespace eventstore::pg
