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
  Oid events;
  Oid events_pkey;
  Oid events_event_id_key;
  Oid events_log_order_key;
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

// The index of events by (category, transaction_id, position) (0.2 on);
// InvalidOid in a database on an older version.
Oid category_index();

void register_catalog_invalidation();

}  // namespace eventstore::pg
