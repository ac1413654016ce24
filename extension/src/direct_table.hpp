// Opening one of the extension's own tables for direct writes (no executor
// plan, no SQL): the table, its indexes and the executor state that index
// maintenance needs. The direct path skips permission checks, row-level
// security, triggers and partition routing, so it refuses a table that has
// any of them, or whose columns are not the ones this library writes.
#pragma once

#include "postgres.hpp"

namespace eventstore::pg {

struct DirectTable {
  Relation relation;
  int column_count;  // of the extension version installed in this database
  ResultRelInfo* result_info;
  EState* estate;
};

// `column_types` lists the type of every column of the newest version, in
// order; a database on an older version of the extension may have only the
// first `oldest_column_count` of them.
void open_direct_table(DirectTable* table, Oid relation_id, const Oid* column_types, int column_count,
                       int oldest_column_count, EState* estate);

// The open index with this OID (ExecOpenIndices opened them all).
Relation direct_table_index(const DirectTable* table, Oid index_id);

// Inserts the index entries of a tuple just written to the heap (inserted, or
// updated without HOT).
void insert_index_entries(const DirectTable* table, TupleTableSlot* slot);

// Locks are kept until the end of the transaction, as for any write.
void close_direct_table(DirectTable* table);

}  // namespace eventstore::pg
