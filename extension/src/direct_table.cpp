#include "direct_table.hpp"

#include "catalog.hpp"
#include "error_codes.hpp"

namespace eventstore::pg {
namespace {

void refuse(Relation relation, const char* why) {
  ereport(ERROR, (errcode(ERRCODE_ES_STORE_NOT_USABLE),
                  errmsg("pg_eventstore cannot write to table %s: %s", RelationGetRelationName(relation), why),
                  errhint("The extension's tables are written only through its functions; undo the change "
                          "or reinstall the extension.")));
}

// The columns must be those of one version of the extension: the newest
// `column_count`, or the first `oldest_column_count` of them.
int check_shape(Relation relation, const Oid* column_types, int column_count, int oldest_column_count) {
  TupleDesc descriptor = RelationGetDescr(relation);
  int present = descriptor->natts;
  if (present != column_count && present != oldest_column_count) refuse(relation, "its columns were changed");
  for (int i = 0; i < present; ++i) {
    Form_pg_attribute attribute = TupleDescAttr(descriptor, i);
    if (attribute->attisdropped || attribute->atttypid != column_types[i]) refuse(relation, "its columns were changed");
  }
  if (relation->trigdesc != nullptr) refuse(relation, "it has triggers, which direct writes would bypass");
  if (relation->rd_rel->relrowsecurity) refuse(relation, "it has row-level security, which direct writes would bypass");
  if (relation->rd_rel->relkind != RELKIND_RELATION) refuse(relation, "it is not a plain table");
  return present;
}

}  // namespace

void open_direct_table(DirectTable* table, Oid relation_id, const Oid* column_types, int column_count,
                       int oldest_column_count, EState* estate) {
  table->relation = open_store_table(relation_id, RowExclusiveLock);
  table->column_count = check_shape(table->relation, column_types, column_count, oldest_column_count);
  table->estate = estate;
  table->result_info = makeNode(ResultRelInfo);
  InitResultRelInfo(table->result_info, table->relation, 1, nullptr, 0);
  ExecOpenIndices(table->result_info, false);
}

Relation direct_table_index(const DirectTable* table, Oid index_id) {
  const ResultRelInfo* info = table->result_info;
  for (int i = 0; i < info->ri_NumIndices; ++i)
    if (RelationGetRelid(info->ri_IndexRelationDescs[i]) == index_id) return info->ri_IndexRelationDescs[i];
  ereport(ERROR, (errcode(ERRCODE_ES_STORE_NOT_USABLE),
                  errmsg("an index of table %s is missing", RelationGetRelationName(table->relation))));
  pg_unreachable();
}

void insert_index_entries(const DirectTable* table, TupleTableSlot* slot) {
  // Not flagged as an update, even after a non-HOT one: that hint makes PostgreSQL
  // compare the updated columns through a range table, which the direct path has not.
  List* recheck = ExecInsertIndexTuples(table->result_info, slot, table->estate, false, false, nullptr, NIL);
  list_free(recheck);
}

void close_direct_table(DirectTable* table) {
  ExecCloseIndices(table->result_info);
  table_close(table->relation, NoLock);
}

}  // namespace eventstore::pg
