// Direct access to eventstore.streams: find a stream by name or id, lock its
// row for an append, create it, advance its version.
#pragma once

#include "postgres.hpp"

#include "direct_table.hpp"

namespace eventstore::pg {

// Column numbers of eventstore.streams (1-based, as in the catalog).
enum StreamColumn : AttrNumber {
  stream_column_stream_id = 1,
  stream_column_version,
  stream_column_created_at,
  stream_column_stream_name,
  stream_column_category,
  stream_column_count = stream_column_category,
};

struct StreamWriter {
  DirectTable table;
  Relation name_index;
  TupleTableSlot* current;  // the stream's row as the current append read it
  TupleTableSlot* scratch;  // a row being written
  Snapshot snapshot;        // registered; replaced by take_newer_snapshot between attempts
  LOCKTAG creation_lock;
  bool holds_creation_lock;
};

// A stream as an append sees it.
struct StreamState {
  bool exists;
  int64 stream_id;
  int64 version;  // -1 when it does not exist
};

void open_stream_writer(StreamWriter* writer, EState* estate);
void close_stream_writer(StreamWriter* writer);

// Replaces writer->snapshot with a new one (READ COMMITTED); under REPEATABLE
// READ and SERIALIZABLE, needing one is a serialization failure.
void take_newer_snapshot(StreamWriter* writer);

// Reads the stream's row through writer->snapshot. When the stream does not
// exist yet, takes the lock that serialises creators of this name instead (held
// until create_stream or close_stream_writer), so the caller may create it.
void find_stream_for_append(StreamWriter* writer, text* name, StreamState* stream);

// Creates the not yet existing stream with the version of its first events.
void create_stream(StreamWriter* writer, text* name, int64 version, StreamState* stream);

// Advances the stream read by find_stream_for_append to `version`. False when a
// concurrent append changed the stream first (READ COMMITTED): look again with
// a newer snapshot. Under REPEATABLE READ and SERIALIZABLE that is a
// serialization failure.
bool advance_stream_version(StreamWriter* writer, StreamState* stream, int64 version);

void release_creation_lock(StreamWriter* writer);

// Read-only lookups with the given snapshot; false when there is no such stream.
bool find_stream_by_name(text* name, Snapshot snapshot, int64* stream_id, int64* version);
bool find_stream_by_id(Relation streams, Relation primary_key, int64 stream_id, Snapshot snapshot,
                       TupleTableSlot* slot);

}  // namespace eventstore::pg
