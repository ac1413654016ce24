#include "log_fence.hpp"

#include <algorithm>

#include "boundary.hpp"
#include "eventstore/core/full_transaction_id.hpp"
#include "log_clock.hpp"
#include "log_transactions.hpp"
#include "settings.hpp"

namespace eventstore::pg {
namespace {

// Where a transaction with this id holds readers: its log transaction, if it
// takes one, is above its id (taken after the id, from the counter), so the
// events below id + 1 are not its.
FullTransactionId holds_at(TransactionId xid, FullTransactionId next, uint64 offset) {
  return FullTransactionIdFromU64(core::widen_transaction_id(xid, U64FromFullTransactionId(next)) + offset + 1);
}

void lower_to(FullTransactionId* fence, FullTransactionId candidate) {
  if (FullTransactionIdPrecedes(candidate, *fence)) *fence = candidate;
}

struct RunningTransactions {
  TransactionId* all;  // sorted, every database
  int all_count;
  TransactionId* prepared_here;  // prepared transactions of this database
  int prepared_count;
  TransactionId* other_databases;  // of other databases, which cannot write our events
  int other_count;
};

// Every process slot: backends and auxiliary processes, then the dummy
// processes of prepared transactions.
int process_slot_count() { return static_cast<int>(ProcGlobal->allProcCount) + max_prepared_xacts; }

// One process slot's transaction, if it runs one: its database is read before
// its transaction id, so the pair is consistent (a slot cannot be reused while
// its transaction runs). A prepared transaction's dummy process (pid 0) keeps
// its id after COMMIT PREPARED; the procarray knows whether it still runs.
struct ProcessTransaction {
  Oid database;
  int pid;
  TransactionId xid;
};

bool read_process_transaction(int slot, ProcessTransaction* transaction) {
  const volatile PGPROC* process = &ProcGlobal->allProcs[slot];
  transaction->database = process->databaseId;
  transaction->pid = process->pid;
  pg_read_barrier();
  transaction->xid = process->xid;
  if (!TransactionIdIsValid(transaction->xid)) return false;
  return transaction->pid != 0 || TransactionIdIsInProgress(transaction->xid);
}

void read_running_transactions(RunningTransactions* running) {
  int capacity = process_slot_count();
  running->all = static_cast<TransactionId*>(palloc(sizeof(TransactionId) * capacity));
  running->prepared_here = static_cast<TransactionId*>(palloc(sizeof(TransactionId) * capacity));
  running->other_databases = static_cast<TransactionId*>(palloc(sizeof(TransactionId) * capacity));
  running->all_count = running->prepared_count = running->other_count = 0;
  ProcessTransaction transaction;
  for (int i = 0; i < capacity; ++i) {
    if (!read_process_transaction(i, &transaction)) continue;
    running->all[running->all_count++] = transaction.xid;
    if (!OidIsValid(transaction.database)) continue;
    if (transaction.database != MyDatabaseId)
      running->other_databases[running->other_count++] = transaction.xid;
    else if (transaction.pid == 0)  // the dummy process of a prepared transaction
      running->prepared_here[running->prepared_count++] = transaction.xid;
  }
  std::sort(running->all, running->all + running->all_count);
  std::sort(running->other_databases, running->other_databases + running->other_count);
}

bool contains(const TransactionId* sorted, int count, TransactionId xid) {
  return std::binary_search(sorted, sorted + count, xid);
}

// As up to release 0.2: every transaction of this database that was running
// when the snapshot was taken. A transaction that gets its id after the
// snapshot has one of xmax or above, so its log transaction is above xmax.
// On a standby, the snapshot holds the primary's running transactions, of
// every database, in subxip.
FullTransactionId fence_of_transactions(Snapshot snapshot, FullTransactionId next, uint64 offset) {
  FullTransactionId fence = holds_at(snapshot->xmax, next, offset);
  const TransactionId* running_ids = snapshot->takenDuringRecovery ? snapshot->subxip : snapshot->xip;
  uint32 running_count = snapshot->takenDuringRecovery ? static_cast<uint32>(snapshot->subxcnt) : snapshot->xcnt;
  if (running_count == 0) return fence;
  RunningTransactions running{};
  if (!snapshot->takenDuringRecovery) read_running_transactions(&running);
  for (uint32 i = 0; i < running_count; ++i)
    if (!contains(running.other_databases, running.other_count, running_ids[i]))
      lower_to(&fence, holds_at(running_ids[i], next, offset));
  return fence;
}

// Only the transactions that append. The registry is read before the
// processes: a log transaction that is no longer registered had ended (or
// been prepared) before, and the process scan then shows it. A transaction
// that takes its log transaction after the registry was read takes one not
// below the bound promised then.
FullTransactionId fence_of_appenders(Snapshot snapshot, FullTransactionId next, uint64 offset) {
  // A transaction that got its id after the snapshot appends above xmax.
  FullTransactionId fence = holds_at(snapshot->xmax, next, offset);
  auto* writers = static_cast<LogWriter*>(palloc(sizeof(LogWriter) * log_writer_capacity()));
  FullTransactionId promised;
  int writer_count = registered_log_writers(writers, offset, &promised);
  lower_to(&fence, promised);
  RunningTransactions running;
  read_running_transactions(&running);
  for (int i = 0; i < writer_count; ++i)
    if (contains(running.all, running.all_count, writers[i].xid)) lower_to(&fence, writers[i].log_transaction);
  // A transaction running at the snapshot that has ended since is invisible
  // to the snapshot but may have appended; its log transaction is above its id.
  for (uint32 i = 0; i < snapshot->xcnt; ++i)
    if (!contains(running.all, running.all_count, snapshot->xip[i]))
      lower_to(&fence, holds_at(snapshot->xip[i], next, offset));
  // A prepared transaction's registration ended at PREPARE (and would not
  // survive a restart): whether it appended is unknown, so it holds readers.
  for (int i = 0; i < running.prepared_count; ++i) lower_to(&fence, holds_at(running.prepared_here[i], next, offset));
  return fence;
}

// The same for a snapshot taken after the registry and the processes were
// read (log_fence_and_snapshot): every log transaction that was no longer
// registered then, or whose transaction was no longer running, has ended
// before that snapshot and is visible in it.
FullTransactionId fence_of_appenders_before_snapshot(uint64 offset, FullTransactionId next) {
  auto* writers = static_cast<LogWriter*>(palloc(sizeof(LogWriter) * log_writer_capacity()));
  FullTransactionId fence;
  int writer_count = registered_log_writers(writers, offset, &fence);
  RunningTransactions running;
  read_running_transactions(&running);
  for (int i = 0; i < writer_count; ++i)
    if (contains(running.all, running.all_count, writers[i].xid)) lower_to(&fence, writers[i].log_transaction);
  for (int i = 0; i < running.prepared_count; ++i) lower_to(&fence, holds_at(running.prepared_here[i], next, offset));
  return fence;
}

void lower_to_own(LogFence* result) {
  FullTransactionId own = current_log_transaction();
  if (FullTransactionIdIsValid(own)) lower_to(&result->fence, own);
}

}  // namespace

FenceSource fence_source(Snapshot snapshot) {
  if (snapshot->takenDuringRecovery) return FenceSource::recovery;
  if (log_transaction_registry_available() && settings::log_fence_source == settings::LogFenceSource::appenders)
    return FenceSource::appenders;
  return FenceSource::transactions;
}

LogFence log_fence(Snapshot snapshot) {
  uint64 offset = log_clock().transaction_offset;
  FullTransactionId next = ReadNextFullTransactionId();
  FenceSource source = fence_source(snapshot);
  LogFence result{source == FenceSource::appenders ? fence_of_appenders(snapshot, next, offset)
                                                   : fence_of_transactions(snapshot, next, offset),
                  source};
  // This transaction's own events are not final either.
  lower_to_own(&result);
  return result;
}

LogFence log_fence_and_snapshot(Snapshot* snapshot) {
  uint64 offset = log_clock().transaction_offset;
  FullTransactionId next = ReadNextFullTransactionId();
  FenceSource source = fence_source(GetActiveSnapshot());
  LogFence result{InvalidFullTransactionId, source};
  if (source == FenceSource::appenders) {
    result.fence = fence_of_appenders_before_snapshot(offset, next);
    *snapshot = RegisterSnapshot(GetLatestSnapshot());
  } else {
    *snapshot = RegisterSnapshot(GetLatestSnapshot());
    result.fence = fence_of_transactions(*snapshot, ReadNextFullTransactionId(), offset);
  }
  lower_to_own(&result);
  return result;
}

namespace {

const char* source_name(FenceSource source) {
  switch (source) {
    case FenceSource::appenders: return "appenders";
    case FenceSource::transactions: return "transactions";
    case FenceSource::recovery: return "recovery";
  }
  return "unknown";
}

void put_holder(ReturnSetInfo* result, const char* kind, int pid, TransactionId xid, FullTransactionId next,
                FullTransactionId holds_at) {
  Datum values[4] = {CStringGetTextDatum(kind), Int32GetDatum(pid),
                     FullTransactionIdGetDatum(
                         FullTransactionIdFromU64(core::widen_transaction_id(xid, U64FromFullTransactionId(next)))),
                     FullTransactionIdGetDatum(holds_at)};
  bool is_null[4] = {false, pid == 0, false, false};
  tuplestore_putvalues(result->setResult, result->setDesc, values, is_null);
}

// What holds the fence back now, one row per transaction: its kind ('append',
// 'prepared', 'transaction'), process (none for a prepared transaction),
// transaction id, and the log transaction below which it holds readers.
Datum log_fence_holders(FunctionCallInfo fcinfo) {
  InitMaterializedSRF(fcinfo, 0);
  auto* result = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  FenceSource source = fence_source(GetActiveSnapshot());
  if (source == FenceSource::recovery) return (Datum)0;  // the primary's transactions are not known here
  uint64 offset = log_clock().transaction_offset;
  FullTransactionId next = ReadNextFullTransactionId();
  RunningTransactions running;
  if (source == FenceSource::appenders) {
    auto* writers = static_cast<LogWriter*>(palloc(sizeof(LogWriter) * log_writer_capacity()));
    FullTransactionId promised;
    int writer_count = registered_log_writers(writers, offset, &promised);
    read_running_transactions(&running);
    for (int i = 0; i < writer_count; ++i)
      if (contains(running.all, running.all_count, writers[i].xid) && writers[i].pid != MyProcPid)
        put_holder(result, "append", writers[i].pid, writers[i].xid, next, writers[i].log_transaction);
    for (int i = 0; i < running.prepared_count; ++i)
      put_holder(result, "prepared", 0, running.prepared_here[i], next,
                 holds_at(running.prepared_here[i], next, offset));
    return (Datum)0;
  }
  int capacity = process_slot_count();
  ProcessTransaction transaction;
  for (int i = 0; i < capacity; ++i) {
    if (!read_process_transaction(i, &transaction)) continue;
    if (transaction.database != MyDatabaseId || transaction.pid == MyProcPid) continue;
    put_holder(result, transaction.pid == 0 ? "prepared" : "transaction", transaction.pid, transaction.xid, next,
               holds_at(transaction.xid, next, offset));
  }
  return (Datum)0;
}

}  // namespace
}  // namespace eventstore::pg

EVENTSTORE_SQL_FUNCTION(eventstore_log_fence_holders, eventstore::pg::log_fence_holders)
EVENTSTORE_SQL_FUNCTION(eventstore_log_fence_source, [](FunctionCallInfo) {
  return CStringGetTextDatum(eventstore::pg::source_name(eventstore::pg::fence_source(GetActiveSnapshot())));
})
EVENTSTORE_SQL_FUNCTION(eventstore_log_fence, [](FunctionCallInfo) {
  return FullTransactionIdGetDatum(eventstore::pg::log_fence(GetActiveSnapshot()).fence);
})
