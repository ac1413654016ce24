// Direct access to eventstore.events: write a batch of events, find an event
// by id, and the ordered index scans that reads use.
#pragma once

#include "postgres.hpp"

#include "direct_table.hpp"
#include "event_batch.hpp"

namespace eventstore::pg {

// Column numbers of eventstore.events (1-based, as in the catalog).
enum EventColumn : AttrNumber {
  event_column_position = 1,
  event_column_transaction_id,
  event_column_stream_id,
  event_column_version,
  event_column_created_at,
  event_column_event_id,
  event_column_event_type,
  event_column_data,
  event_column_metadata,
  event_column_count_0_1 = event_column_metadata,
  event_column_category,  // from 0.2 on: the stream's category, for the category index
  event_column_count = event_column_category,
};

struct EventWriter {
  DirectTable table;
  Relation event_id_index;
  TupleTableSlot** slots;
  int slot_count;
  TupleTableSlot* found;  // an event read back by id
};

struct WrittenRange {
  int64 first_position;
  int64 last_position;
};

// `largest_batch` is the most events one write_events call will get.
void open_event_writer(EventWriter* writer, EState* estate, int largest_batch);
void close_event_writer(EventWriter* writer);

// Writes the batch as versions first_version, first_version + 1, ... of the
// stream, whose category (a text Datum) is stored with each event.
void write_events(EventWriter* writer, int64 stream_id, Datum category, int64 first_version, const EventBatch* batch,
                  WrittenRange* written);

// Reads the stored event with this id into writer->found; false if there is none.
bool find_event_by_id(EventWriter* writer, Datum event_id, Snapshot snapshot);

// An ordered scan over one index of eventstore.events.
struct EventScan {
  Relation heap;
  Relation index;
  IndexScanDesc scan;
  TupleTableSlot* slot;
  ScanDirection direction;
};

// Events of one stream from `from_version` on, in the given direction.
void begin_stream_scan(EventScan* scan, int64 stream_id, int64 from_version, ScanDirection direction,
                       Snapshot snapshot);
// A place in the global log: the event at (transaction_id, position).
struct LogCheckpoint {
  FullTransactionId transaction_id;
  int64 position;
};

// The global log in (transaction_id, position) order, after `after` (from the
// start when null), up to, not including, transaction `fence`.
void begin_log_scan(EventScan* scan, const LogCheckpoint* after, FullTransactionId fence, Snapshot snapshot);
// The events of one category in log order (the same bounds as begin_log_scan),
// through the category index; false when this database's version has none.
bool begin_category_scan(EventScan* scan, Datum category, const LogCheckpoint* after, FullTransactionId fence,
                         Snapshot snapshot);
bool next_event(EventScan* scan);
void end_event_scan(EventScan* scan);

}  // namespace eventstore::pg
