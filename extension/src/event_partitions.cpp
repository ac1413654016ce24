#include "event_partitions.hpp"

#include "catalog.hpp"
#include "error_codes.hpp"
#include "event_table.hpp"

namespace eventstore::pg {
namespace {

MemoryContext cache_context = nullptr;
EventPartition* cached_partitions = nullptr;
int cached_count = 0;
Oid cached_table = InvalidOid;
bool cache_valid = false;

void refuse(const char* relation_name, const char* why) {
  ereport(ERROR, (errcode(ERRCODE_ES_STORE_NOT_USABLE),
                  errmsg("pg_eventstore cannot use partition %s of eventstore.events: %s", relation_name, why),
                  errhint("Partitions are created by eventstore.use_monthly_partitions() and "
                          "eventstore.maintain_partitions(); undo the change.")));
}

// Whether `index` is a valid B-tree on exactly these columns, without
// expressions or predicate (and unique when asked).
bool index_on(HeapTuple index_tuple, const AttrNumber* columns, int column_count, bool unique) {
  auto* index = reinterpret_cast<Form_pg_index>(GETSTRUCT(index_tuple));
  if (!index->indisvalid || !index->indisready || (unique && !index->indisunique)) return false;
  if (index->indnkeyatts != column_count) return false;
  for (int i = 0; i < column_count; ++i)
    if (index->indkey.values[i] != columns[i]) return false;
  if (!heap_attisnull(index_tuple, Anum_pg_index_indexprs, nullptr) ||
      !heap_attisnull(index_tuple, Anum_pg_index_indpred, nullptr))
    return false;
  HeapTuple class_tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(index->indexrelid));
  if (!HeapTupleIsValid(class_tuple)) return false;
  bool is_btree = reinterpret_cast<Form_pg_class>(GETSTRUCT(class_tuple))->relam == BTREE_AM_OID;
  ReleaseSysCache(class_tuple);
  return is_btree;
}

void find_indexes(Relation partition, EventPartition* found) {
  static const AttrNumber stream_columns[] = {event_column_stream_id, event_column_version};
  static const AttrNumber event_id_columns[] = {event_column_event_id};
  static const AttrNumber log_columns[] = {event_column_transaction_id, event_column_position};
  static const AttrNumber category_columns[] = {event_column_category, event_column_transaction_id,
                                                event_column_position};
  found->relation = RelationGetRelid(partition);
  found->stream_index = found->event_id_index = found->log_index = found->category_index = InvalidOid;
  List* indexes = RelationGetIndexList(partition);
  ListCell* cell;
  foreach (cell, indexes) {
    Oid index_id = lfirst_oid(cell);
    HeapTuple tuple = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index_id));
    if (!HeapTupleIsValid(tuple)) continue;
    if (index_on(tuple, stream_columns, 2, true))
      found->stream_index = index_id;
    else if (index_on(tuple, event_id_columns, 1, true))
      found->event_id_index = index_id;
    else if (index_on(tuple, log_columns, 2, true))
      found->log_index = index_id;
    else if (index_on(tuple, category_columns, 3, false))
      found->category_index = index_id;
    ReleaseSysCache(tuple);
  }
  list_free(indexes);
  const char* name = RelationGetRelationName(partition);
  if (!OidIsValid(found->stream_index)) refuse(name, "its unique index on (stream_id, version) is missing");
  if (!OidIsValid(found->event_id_index)) refuse(name, "its unique index on (event_id) is missing");
  if (!OidIsValid(found->log_index)) refuse(name, "its unique index on (transaction_id, position) is missing");
}

// A partition is read with the column numbers of the parent.
void check_columns(Relation events, Relation partition) {
  TupleDesc parent = RelationGetDescr(events);
  TupleDesc child = RelationGetDescr(partition);
  if (parent->natts != child->natts) refuse(RelationGetRelationName(partition), "its columns differ from the parent's");
  for (int i = 0; i < parent->natts; ++i) {
    Form_pg_attribute a = TupleDescAttr(parent, i);
    Form_pg_attribute b = TupleDescAttr(child, i);
    if (a->attisdropped || b->attisdropped || a->atttypid != b->atttypid)
      refuse(RelationGetRelationName(partition), "its columns differ from the parent's");
  }
}

void build_cache(Relation events) {
  if (cache_context == nullptr)
    cache_context = AllocSetContextCreate(CacheMemoryContext, "pg_eventstore partitions", ALLOCSET_SMALL_SIZES);
  cache_valid = false;
  MemoryContextReset(cache_context);
  cached_partitions = nullptr;
  cached_count = 0;
  char kind = events->rd_rel->relkind;
  if (kind == RELKIND_RELATION) {
    auto* partitions = static_cast<EventPartition*>(MemoryContextAlloc(cache_context, sizeof(EventPartition)));
    find_indexes(events, &partitions[0]);
    cached_partitions = partitions;
    cached_count = 1;
  } else if (kind == RELKIND_PARTITIONED_TABLE) {
    PartitionDesc desc = RelationGetPartitionDesc(events, true);
    auto* partitions = static_cast<EventPartition*>(
        MemoryContextAllocZero(cache_context, sizeof(EventPartition) * Max(desc->nparts, 1)));
    for (int i = 0; i < desc->nparts; ++i) {
      Relation partition = open_store_table(desc->oids[i], AccessShareLock);
      if (!desc->is_leaf[i]) refuse(RelationGetRelationName(partition), "it is partitioned itself");
      check_columns(events, partition);
      find_indexes(partition, &partitions[i]);
      table_close(partition, NoLock);
    }
    cached_partitions = partitions;
    cached_count = desc->nparts;
  } else {
    ereport(ERROR, (errcode(ERRCODE_ES_STORE_NOT_USABLE), errmsg("eventstore.events is not a table")));
  }
  cached_table = RelationGetRelid(events);
  cache_valid = true;
}

void forget_partitions(Datum, Oid relation) {
  if (!cache_valid) return;
  if (relation == InvalidOid || relation == cached_table) {
    cache_valid = false;
    return;
  }
  for (int i = 0; i < cached_count; ++i) {
    const EventPartition& p = cached_partitions[i];
    if (relation == p.relation || relation == p.stream_index || relation == p.event_id_index ||
        relation == p.log_index || relation == p.category_index) {
      cache_valid = false;
      return;
    }
  }
}

void raise_no_partition(TimestampTz at) {
  ereport(ERROR, (errcode(ERRCODE_ES_NO_PARTITION),
                  errmsg("no partition of eventstore.events covers the append time %s", timestamptz_to_str(at)),
                  errdetail("The event log is partitioned by month, and the partition of this month does not exist."),
                  errhint("Run SELECT * FROM eventstore.maintain_partitions(); from a scheduler, ahead of time.")));
}

}  // namespace

EventPartitions event_partitions(Relation events) {
  if (!cache_valid || cached_table != RelationGetRelid(events)) build_cache(events);
  return EventPartitions{cached_count, cached_partitions};
}

const EventPartition* partition_for_time(Relation events, TimestampTz at) {
  EventPartitions partitions = event_partitions(events);
  if (events->rd_rel->relkind == RELKIND_RELATION) return &partitions.partitions[0];
  PartitionKey key = RelationGetPartitionKey(events);
  if (key->strategy != PARTITION_STRATEGY_RANGE || key->partnatts != 1 || key->partattrs[0] != event_column_created_at)
    ereport(ERROR, (errcode(ERRCODE_ES_STORE_NOT_USABLE),
                    errmsg("eventstore.events must be partitioned by range of created_at")));
  PartitionDesc desc = RelationGetPartitionDesc(events, true);
  PartitionBoundInfo bounds = desc->boundinfo;
  if (desc->nparts == 0 || bounds == nullptr) raise_no_partition(at);
  int index;
  if (bounds->ndatums > 0) {
    // As PostgreSQL's own routing does, but without falling back to the
    // default partition once months exist.
    Datum value = TimestampTzGetDatum(at);
    bool equal = false;
    int offset = partition_range_datum_bsearch(key->partsupfunc, key->partcollation, bounds, 1, &value, &equal);
    index = bounds->indexes[offset + 1];
  } else {
    index = bounds->default_index;
  }
  if (index < 0) raise_no_partition(at);
  Oid leaf = desc->oids[index];
  for (int i = 0; i < partitions.count; ++i)
    if (partitions.partitions[i].relation == leaf) return &partitions.partitions[i];
  elog(ERROR, "partition %u of eventstore.events is not known", leaf);
  pg_unreachable();
}

void register_partition_invalidation() { CacheRegisterRelcacheCallback(forget_partitions, (Datum)0); }

}  // namespace eventstore::pg
