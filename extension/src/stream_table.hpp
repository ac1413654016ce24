// Direct access to eventstore.streams: find a stream by name or id, create it,
// and change its row (version and lifecycle) for an append or a lifecycle call.
#pragma once

#include "postgres.hpp"

#include "direct_table.hpp"
#include "eventstore/core/stream_visibility.hpp"

namespace eventstore::pg {

// Column numbers of eventstore.streams (1-based, as in the catalog). Version
// 0.1 of the extension has the first five.
enum StreamColumn : AttrNumber {
  stream_column_stream_id = 1,
  stream_column_version,
  stream_column_created_at,
  stream_column_stream_name,
  stream_column_category,
  stream_column_count_0_1 = stream_column_category,
  stream_column_deleted,
  stream_column_tombstoned,
  stream_column_truncate_before,
  stream_column_max_count,
  stream_column_max_age,
  stream_column_count = stream_column_max_age,
};

// A stream as a call sees it.
struct StreamState {
  bool exists;
  int64 stream_id;
  int64 version;  // -1 when it does not exist
  TimestampTz created_at;
  core::StreamLifecycle lifecycle;
  bool has_max_age;
  Interval max_age;
};

// Reads the stream in a slot of eventstore.streams (of either layout).
void read_stream_state(TupleTableSlot* slot, StreamState* stream);

struct StreamWriter {
  DirectTable table;
  Relation name_index;
  TupleTableSlot* current;  // the stream's row as the current call read it
  TupleTableSlot* scratch;  // a row being written
  Snapshot snapshot;        // registered; replaced by take_newer_snapshot between attempts
  LOCKTAG creation_lock;
  bool holds_creation_lock;
};

void open_stream_writer(StreamWriter* writer, EState* estate);
void close_stream_writer(StreamWriter* writer);

// Whether this database's extension version has the lifecycle columns.
bool has_lifecycle(const StreamWriter* writer);

// Replaces writer->snapshot with a new one (READ COMMITTED); under REPEATABLE
// READ and SERIALIZABLE, needing one is a serialization failure.
void take_newer_snapshot(StreamWriter* writer);

// Reads the stream's row through writer->snapshot. When the stream does not
// exist yet, takes the lock that serialises creators of this name instead (held
// until create_stream or release_creation_lock), so the caller may create it.
void find_stream_for_append(StreamWriter* writer, text* name, StreamState* stream);
void release_creation_lock(StreamWriter* writer);

// Creates the not yet existing stream with stream->version and stream->lifecycle.
void create_stream(StreamWriter* writer, text* name, StreamState* stream);

// Writes stream->version and stream->lifecycle to the row find_stream_for_append
// read. False when a concurrent call changed the stream first (READ
// COMMITTED): look again with a newer snapshot. Under REPEATABLE READ and
// SERIALIZABLE that is a serialization failure.
bool write_stream_state(StreamWriter* writer, const StreamState* stream);

// Read-only lookups with the given snapshot; false when there is no such stream.
bool find_stream_by_name(text* name, Snapshot snapshot, StreamState* stream);
bool find_stream_by_id(Relation streams, Relation primary_key, int64 stream_id, Snapshot snapshot,
                       TupleTableSlot* slot);

// Raises stream_deleted (23V03) for a tombstoned stream.
void reject_tombstoned(const char* stream_name, const StreamState* stream);

}  // namespace eventstore::pg
