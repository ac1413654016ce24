#include "catalog.hpp"

#include "error_codes.hpp"

namespace eventstore::pg {
namespace {

StoreCatalog cached_catalog;
bool cached_catalog_valid = false;
SnapshotCatalog cached_snapshot_catalog;
bool cached_snapshot_catalog_valid = false;
ReclaimCatalog cached_reclaim_catalog;
bool cached_reclaim_catalog_valid = false;

Oid relation_in_store(Oid namespace_oid, const char* name) {
  Oid relation = get_relname_relid(name, namespace_oid);
  if (!OidIsValid(relation))
    ereport(ERROR,
            (errcode(ERRCODE_ES_STORE_NOT_USABLE), errmsg("relation eventstore.%s of pg_eventstore is missing", name),
             errhint("Reinstall the extension: DROP EXTENSION pg_eventstore; CREATE EXTENSION pg_eventstore.")));
  return relation;
}

void forget_catalog(Datum, Oid relation) {
  const ReclaimCatalog& reclaim = cached_reclaim_catalog;
  if (cached_reclaim_catalog_valid &&
      (relation == InvalidOid || !reclaim.present || relation == reclaim.reclaimed_events ||
       relation == reclaim.reclaimed_events_pkey))
    cached_reclaim_catalog_valid = false;
  const SnapshotCatalog& snapshots = cached_snapshot_catalog;
  if (cached_snapshot_catalog_valid &&
      (relation == InvalidOid || relation == snapshots.snapshots || relation == snapshots.snapshots_pkey))
    cached_snapshot_catalog_valid = false;
  if (!cached_catalog_valid) return;
  const StoreCatalog& c = cached_catalog;
  if (relation == InvalidOid || relation == c.streams || relation == c.streams_pkey || relation == c.streams_name_key ||
      relation == c.stream_id_sequence || relation == c.events || relation == c.position_sequence)
    cached_catalog_valid = false;
}

}  // namespace

const StoreCatalog& store_catalog() {
  if (cached_catalog_valid) return cached_catalog;
  Oid schema = get_namespace_oid("eventstore", false);
  StoreCatalog c;
  c.streams = relation_in_store(schema, "streams");
  c.streams_pkey = relation_in_store(schema, "streams_pkey");
  c.streams_name_key = relation_in_store(schema, "streams_name_key");
  c.stream_id_sequence = relation_in_store(schema, "streams_stream_id_seq");
  c.events = relation_in_store(schema, "events");
  c.position_sequence = relation_in_store(schema, "events_position_seq");
  cached_catalog = c;
  cached_catalog_valid = true;
  return cached_catalog;
}

const SnapshotCatalog& snapshot_catalog() {
  if (cached_snapshot_catalog_valid) return cached_snapshot_catalog;
  Oid schema = get_namespace_oid("eventstore", false);
  SnapshotCatalog c;
  c.snapshots = relation_in_store(schema, "snapshots");
  c.snapshots_pkey = relation_in_store(schema, "snapshots_pkey");
  cached_snapshot_catalog = c;
  cached_snapshot_catalog_valid = true;
  return cached_snapshot_catalog;
}

Relation open_store_table(Oid relation, LOCKMODE mode) {
  Relation opened = try_table_open(relation, mode);
  if (opened == nullptr)
    ereport(ERROR,
            (errcode(ERRCODE_ES_STORE_NOT_USABLE), errmsg("the event store was dropped while this call waited for it"),
             errhint("DROP EXTENSION pg_eventstore ran concurrently; the store is gone until it is installed again.")));
  return opened;
}

const ReclaimCatalog& reclaim_catalog() {
  if (cached_reclaim_catalog_valid) return cached_reclaim_catalog;
  Oid schema = get_namespace_oid("eventstore", false);
  ReclaimCatalog c{false, InvalidOid, InvalidOid};
  c.reclaimed_events = get_relname_relid("reclaimed_events", schema);
  if (OidIsValid(c.reclaimed_events)) {
    c.present = true;
    c.reclaimed_events_pkey = relation_in_store(schema, "reclaimed_events_pkey");
  }
  cached_reclaim_catalog = c;
  cached_reclaim_catalog_valid = true;
  return cached_reclaim_catalog;
}

void register_catalog_invalidation() { CacheRegisterRelcacheCallback(forget_catalog, (Datum)0); }

}  // namespace eventstore::pg
