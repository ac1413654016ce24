#include "log_clock.hpp"

namespace eventstore::pg {
namespace {

LogClock cached_clock;
bool cached_clock_valid = false;
Oid identity_relation = InvalidOid;
// The clock was read in this transaction, which may have written the row.
bool read_in_this_transaction = false;

void forget_on_abort(XactEvent event, void*) {
  if (event == XACT_EVENT_ABORT && read_in_this_transaction) cached_clock_valid = false;
  if (event == XACT_EVENT_ABORT || event == XACT_EVENT_COMMIT || event == XACT_EVENT_PREPARE ||
      event == XACT_EVENT_PARALLEL_ABORT || event == XACT_EVENT_PARALLEL_COMMIT)
    read_in_this_transaction = false;
}

void forget_on_subtransaction_abort(SubXactEvent event, SubTransactionId, SubTransactionId, void*) {
  if (event == SUBXACT_EVENT_ABORT_SUB && read_in_this_transaction) cached_clock_valid = false;
}

// Runs eventstore.log_clock(), which creates or recomputes the row when it can
// write; `stored` says whether the answer is the committed row of this cluster.
void query_clock(LogClock* clock, bool* stored) {
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  int status = SPI_execute(
      "SELECT store_id, transaction_offset, newest_transaction, stored FROM eventstore.log_clock()", false, 1);
  if (status != SPI_OK_SELECT || SPI_processed != 1) elog(ERROR, "eventstore.log_clock() returned no row");
  HeapTuple row = SPI_tuptable->vals[0];
  TupleDesc descriptor = SPI_tuptable->tupdesc;
  bool is_null;
  Datum store_id = SPI_getbinval(row, descriptor, 1, &is_null);
  clock->has_store_id = !is_null;
  if (!is_null) clock->store_id = *DatumGetUUIDP(store_id);
  clock->transaction_offset = static_cast<uint64>(DatumGetInt64(SPI_getbinval(row, descriptor, 2, &is_null)));
  Datum newest = SPI_getbinval(row, descriptor, 3, &is_null);
  clock->newest_transaction = is_null ? 0 : U64FromFullTransactionId(DatumGetFullTransactionId(newest));
  *stored = DatumGetBool(SPI_getbinval(row, descriptor, 4, &is_null));
  SPI_finish();
}

}  // namespace

const LogClock& log_clock() {
  if (cached_clock_valid) return cached_clock;
  Oid schema = get_namespace_oid("eventstore", false);
  Oid relation = get_relname_relid("store_identity", schema);
  LogClock clock{false, {}, 0, 0};
  bool stored = true;
  // Version 0.2 has no identity: its log has no offset.
  if (OidIsValid(relation)) query_clock(&clock, &stored);
  cached_clock = clock;
  // An answer computed without writing (read-only, on a standby) is not kept:
  // another backend could compute a different one.
  cached_clock_valid = stored;
  identity_relation = relation;
  read_in_this_transaction = true;
  return cached_clock;
}

namespace {

void forget_log_clock(Datum, Oid relation) {
  if (relation == InvalidOid || relation == identity_relation) cached_clock_valid = false;
}

}  // namespace

void register_log_clock_callbacks() {
  CacheRegisterRelcacheCallback(forget_log_clock, (Datum)0);
  RegisterXactCallback(forget_on_abort, nullptr);
  RegisterSubXactCallback(forget_on_subtransaction_abort, nullptr);
}

}  // namespace eventstore::pg
