// Direct access to eventstore.events: write a batch of events, find an event
// by id, and the ordered index scans that reads use. The table is partitioned
// by append time (event_partitions.hpp): an append writes to the one partition
// of its transaction's start time, and a read merges the index scans of every
// partition into one order.
#pragma once

#include "postgres.hpp"

#include "direct_table.hpp"
#include "event_batch.hpp"
#include "event_partitions.hpp"

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
  Relation events;      // the parent table
  DirectTable table;    // the partition this transaction's events go to
  int partition_index;  // its place in `partitions`
  EventPartitions partitions;
  // The heap and event-id index of each partition, opened when an id is
  // first looked up (null until then).
  Relation* partition_heaps;
  Relation* event_id_indexes;
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
// stream, in the log transaction `log_transaction`, with the stream's category
// (a text Datum) stored with each event. With monthly partitions, an id given by the caller is then looked for in the
// other partitions (as a unique index would: waiting for a writer in flight),
// and 23505 raised when another event has it.
void write_events(EventWriter* writer, int64 stream_id, Datum category, int64 first_version,
                  FullTransactionId log_transaction, const EventBatch* batch, WrittenRange* written);

// Reads the stored event with this id into writer->found; false if there is none.
bool find_event_by_id(EventWriter* writer, Datum event_id, Snapshot snapshot);
// The same, in one partition (an index into writer->partitions).
bool find_event_in_partition(EventWriter* writer, int partition, Datum event_id, Snapshot snapshot);

// One partition's part of an EventScan.
struct PartitionScan {
  Relation heap;
  Relation index;
  IndexScanDesc scan;
  TupleTableSlot* slot;
  bool has_row;
  uint64 first_key;  // of the row in `slot`: version, or transaction id
  int64 second_key;  // position (log order)
};

enum class EventOrder { stream_version, log };

// An ordered scan over one index of eventstore.events: the same index of
// every partition, merged.
struct EventScan {
  Relation events;
  PartitionScan* parts;
  int part_count;
  int current;  // the part whose row is in `slot`
  bool started;
  EventOrder order;
  ScanDirection direction;
  TupleTableSlot* slot;  // the current event
  Relation heap;         // the partition that holds it
};

// Events of one stream from `from_version` on, in the given direction.
// `lock_mode` is taken on every partition: RowExclusiveLock to delete rows.
void begin_stream_scan(EventScan* scan, int64 stream_id, int64 from_version, ScanDirection direction, Snapshot snapshot,
                       LOCKMODE lock_mode = AccessShareLock);
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
