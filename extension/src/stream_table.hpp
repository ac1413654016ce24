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
  TupleTableSlot* locked;  // the row locked for the current append
  TupleTableSlot* scratch;  // a row being written
  Snapshot snapshot;
};

// The state of a stream when an append holds its lock.
struct LockedStream {
  bool exists;
  int64 stream_id;
  int64 version;
};

void open_stream_writer(StreamWriter* writer, EState* estate, Snapshot snapshot);
void close_stream_writer(StreamWriter* writer);

// Finds the stream and locks its row until the end of the transaction. When
// the stream does not exist yet, takes the lock that serialises creators of
// this name instead, so the caller may create it.
void lock_stream_for_append(StreamWriter* writer, text* name, LockedStream* stream);

// Creates the locked, not yet existing stream with the version of its first events.
void create_stream(StreamWriter* writer, text* name, int64 version, LockedStream* stream);

// Advances the locked stream to `version`.
void set_stream_version(StreamWriter* writer, LockedStream* stream, int64 version);

// Read-only lookups with the given snapshot; false when there is no such stream.
bool find_stream_by_name(text* name, Snapshot snapshot, int64* stream_id, int64* version);
bool find_stream_by_id(Relation streams, Relation primary_key, int64 stream_id, Snapshot snapshot,
                       TupleTableSlot* slot);

}  // namespace eventstore::pg
