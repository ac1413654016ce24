#include "log_fence.hpp"

#include "boundary.hpp"
#include "eventstore/core/full_transaction_id.hpp"

namespace eventstore::pg {
namespace {

FullTransactionId widen(TransactionId xid, FullTransactionId next) {
  return FullTransactionIdFromU64(core::widen_transaction_id(xid, U64FromFullTransactionId(next)));
}

// Running transactions of other databases, which cannot write our events.
// Reading a process's database before its transaction id makes the pair
// consistent: its slot cannot be reused while that transaction runs.
int other_database_transactions(TransactionId* found, int capacity) {
  int count = 0;
  for (uint32 i = 0; i < ProcGlobal->allProcCount && count < capacity; ++i) {
    const volatile PGPROC* process = &ProcGlobal->allProcs[i];
    Oid database = process->databaseId;
    pg_read_barrier();
    TransactionId xid = process->xid;
    if (TransactionIdIsValid(xid) && OidIsValid(database) && database != MyDatabaseId) found[count++] = xid;
  }
  return count;
}

}  // namespace

FullTransactionId log_fence(Snapshot snapshot) {
  FullTransactionId next = ReadNextFullTransactionId();
  // Below xmax, only the snapshot's running transactions can still add events.
  FullTransactionId fence = widen(snapshot->xmax, next);
  // A snapshot taken during recovery keeps every running id in subxip.
  const TransactionId* running_ids = snapshot->takenDuringRecovery ? snapshot->subxip : snapshot->xip;
  uint32 running_count = snapshot->takenDuringRecovery ? static_cast<uint32>(snapshot->subxcnt) : snapshot->xcnt;
  if (running_count > 0) {
    int capacity = static_cast<int>(ProcGlobal->allProcCount);
    auto* elsewhere = static_cast<TransactionId*>(palloc(sizeof(TransactionId) * capacity));
    int elsewhere_count = snapshot->takenDuringRecovery ? 0 : other_database_transactions(elsewhere, capacity);
    for (uint32 i = 0; i < running_count; ++i) {
      TransactionId running = running_ids[i];
      bool in_other_database = false;
      for (int k = 0; k < elsewhere_count && !in_other_database; ++k) in_other_database = elsewhere[k] == running;
      FullTransactionId candidate = widen(running, next);
      if (!in_other_database && FullTransactionIdPrecedes(candidate, fence)) fence = candidate;
    }
    pfree(elsewhere);
  }
  // A snapshot does not count its own transaction as running, but its
  // uncommitted events are not final either.
  FullTransactionId own = GetTopFullTransactionIdIfAny();
  if (FullTransactionIdIsValid(own) && FullTransactionIdPrecedes(own, fence)) fence = own;
  return fence;
}

}  // namespace eventstore::pg

EVENTSTORE_SQL_FUNCTION(eventstore_log_fence, [](FunctionCallInfo) {
  return FullTransactionIdGetDatum(eventstore::pg::log_fence(GetActiveSnapshot()));
})
