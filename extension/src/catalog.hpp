// The OIDs of the relations the extension owns, looked up by name once per
// backend and again after any relcache invalidation that touches them (ALTER,
// DROP EXTENSION and re-CREATE, VACUUM's statistics updates).
#pragma once

#include "postgres.hpp"

namespace eventstore::pg {

struct StoreCatalog {
  Oid streams;
  Oid streams_pkey;
  Oid streams_name_key;
  Oid stream_id_sequence;
  Oid events;  // its partitions and their indexes: event_partitions.hpp
  Oid position_sequence;
};

const StoreCatalog& store_catalog();

// Relations that later versions of the extension added; a database still on
// an older version has none of them, and only the functions that need them
// look them up.
struct SnapshotCatalog {
  Oid snapshots;
  Oid snapshots_pkey;
};

const SnapshotCatalog& snapshot_catalog();

// From version 0.3 on; `present` is false before.
struct ReclaimCatalog {
  bool present;
  Oid reclaimed_events;
  Oid reclaimed_events_pkey;
};

const ReclaimCatalog& reclaim_catalog();

void register_catalog_invalidation();

// Opens a table of the store with a lock. A table dropped while the call
// waited for the lock (a concurrent DROP EXTENSION) is store_not_usable
// (55V01), not an internal error.
Relation open_store_table(Oid relation, LOCKMODE mode);

}  // namespace eventstore::pg
