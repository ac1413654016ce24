// The partitions of eventstore.events and the indexes of each, as the direct
// reads and writes need them. The log is partitioned by append time
// (created_at): one default partition in an unpartitioned store, one per UTC
// month in the monthly layout (docs/partitioning.md). A database still on 0.1
// has a plain table, which counts as its only partition. The direct path does
// no partition routing of its own, so an append asks partition_for_time().
#pragma once

#include "postgres.hpp"

namespace eventstore::pg {

struct EventPartition {
  Oid relation;
  Oid stream_index;    // unique (stream_id, version)
  Oid event_id_index;  // unique (event_id)
  Oid log_index;       // unique (transaction_id, position)
  Oid category_index;  // (category, transaction_id, position); InvalidOid before 0.2
};

struct EventPartitions {
  int count;
  const EventPartition* partitions;
};

// The partitions of `events` (eventstore.events, open and locked, so that no
// partition is attached or detached meanwhile), found once per backend and
// again after a change to the table, a partition or their indexes.
EventPartitions event_partitions(Relation events);

// The partition that holds the events appended at `at`. Raises 55V03 when
// monthly partitions exist and none covers `at`: the default partition of a
// partitioned store stays empty, so that every month can be attached.
const EventPartition* partition_for_time(Relation events, TimestampTz at);

void register_partition_invalidation();

}  // namespace eventstore::pg
