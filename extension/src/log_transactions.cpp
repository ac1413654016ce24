#include "log_transactions.hpp"

#include "log_clock.hpp"

namespace eventstore::pg {
namespace {

struct RegistryEntry {
  Oid database;
  int pid;
  TransactionId xid;
  uint64 log_transaction;  // 0: free
};

// One entry per PGPROC slot: a backend has at most one top-level transaction.
struct Registry {
  LWLock* lock;
  // The highest bound a reader has taken for log transactions not yet taken
  // (log_fence.cpp): a log transaction taken later is not below it.
  pg_atomic_uint64 promised_bound;
  // The newest log transaction taken (written under the exclusive lock).
  uint64 newest_taken;
  int entry_count;
  RegistryEntry entries[FLEXIBLE_ARRAY_MEMBER];
};

constexpr const char* registry_name = "pg_eventstore log transactions";

// Null unless preloaded; set once in each process at start-up.
Registry* registry = nullptr;
shmem_request_hook_type previous_request_hook = nullptr;
shmem_startup_hook_type previous_startup_hook = nullptr;

FullTransactionId current = InvalidFullTransactionId;
bool registered = false;

int slot_count() { return MaxBackends + NUM_AUXILIARY_PROCS + max_prepared_xacts; }

Size registry_size(int entries) {
  return add_size(offsetof(Registry, entries), mul_size(sizeof(RegistryEntry), static_cast<Size>(entries)));
}

void request_memory() {
  if (previous_request_hook != nullptr) previous_request_hook();
  RequestAddinShmemSpace(MAXALIGN(registry_size(slot_count())));
  RequestNamedLWLockTranche(registry_name, 1);
}

void attach_memory() {
  if (previous_startup_hook != nullptr) previous_startup_hook();
  LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
  bool found;
  int entries = slot_count();
  auto* shared = static_cast<Registry*>(ShmemInitStruct(registry_name, registry_size(entries), &found));
  if (!found) {
    shared->lock = &(GetNamedLWLockTranche(registry_name))->lock;
    pg_atomic_init_u64(&shared->promised_bound, 0);
    shared->newest_taken = 0;
    shared->entry_count = entries;
    for (int i = 0; i < entries; ++i) shared->entries[i] = RegistryEntry{InvalidOid, 0, InvalidTransactionId, 0};
  }
  LWLockRelease(AddinShmemInitLock);
  registry = shared;
}

// Runs after the transaction's end is visible to new snapshots (the procarray
// is updated before transaction callbacks run), and for a prepared
// transaction after its dummy process holds its id: a reader that no longer
// finds the entry sees the transaction as ended or as prepared.
void end_log_transaction(XactEvent event, void*) {
  if (event != XACT_EVENT_COMMIT && event != XACT_EVENT_ABORT && event != XACT_EVENT_PREPARE &&
      event != XACT_EVENT_PARALLEL_COMMIT && event != XACT_EVENT_PARALLEL_ABORT)
    return;
  if (registered) {
    LWLockAcquire(registry->lock, LW_EXCLUSIVE);
    registry->entries[MyProc->pgprocno].log_transaction = 0;
    LWLockRelease(registry->lock);
    registered = false;
  }
  current = InvalidFullTransactionId;
}

}  // namespace

void request_log_transaction_registry() {
  previous_request_hook = shmem_request_hook;
  shmem_request_hook = request_memory;
  previous_startup_hook = shmem_startup_hook;
  shmem_startup_hook = attach_memory;
}

void register_log_transaction_callbacks() { RegisterXactCallback(end_log_transaction, nullptr); }

bool log_transaction_registry_available() { return registry != nullptr; }

FullTransactionId current_log_transaction() { return current; }

FullTransactionId take_log_transaction() {
  if (FullTransactionIdIsValid(current)) return current;
  const LogClock& clock = log_clock();
  uint64 offset = clock.transaction_offset;
  uint64 floor = clock.newest_transaction + 1;
  // The transaction id itself comes first: the entry names it, and a reader
  // that finds it running (or in its snapshot) knows it may still append.
  TransactionId xid = GetTopTransactionId();
  if (registry == nullptr) {
    current = FullTransactionIdFromU64(Max(U64FromFullTransactionId(ReadNextFullTransactionId()) + offset, floor));
    return current;
  }
  // Taken and published under the lock: a reader that computes a fence
  // either finds this entry or took its snapshot before this id was read, in
  // which case the snapshot's xmax is not above it.
  LWLockAcquire(registry->lock, LW_EXCLUSIVE);
  uint64 next = U64FromFullTransactionId(ReadNextFullTransactionId()) + offset;
  current = FullTransactionIdFromU64(Max(Max(next, floor), pg_atomic_read_u64(&registry->promised_bound)));
  registry->newest_taken = Max(registry->newest_taken, U64FromFullTransactionId(current));
  RegistryEntry* entry = &registry->entries[MyProc->pgprocno];
  entry->database = MyDatabaseId;
  entry->pid = MyProcPid;
  entry->xid = xid;
  entry->log_transaction = U64FromFullTransactionId(current);
  registered = true;
  LWLockRelease(registry->lock);
  return current;
}

int log_writer_capacity() { return registry != nullptr ? registry->entry_count : 0; }

int registered_log_writers(LogWriter* writers, uint64 offset, FullTransactionId* bound) {
  if (registry == nullptr) return 0;
  int count = 0;
  LWLockAcquire(registry->lock, LW_SHARED);
  for (int i = 0; i < registry->entry_count; ++i) {
    const RegistryEntry& entry = registry->entries[i];
    if (entry.log_transaction == 0 || entry.database != MyDatabaseId) continue;
    writers[count++] = LogWriter{entry.pid, entry.xid, FullTransactionIdFromU64(entry.log_transaction)};
  }
  // Promised while the lock is held, so that no log transaction is taken
  // between reading the counter and promising; above the newest taken, so
  // that every log transaction already taken can fall below the fence.
  uint64 promised = Max(U64FromFullTransactionId(ReadNextFullTransactionId()) + offset, registry->newest_taken) + 1;
  uint64 seen = pg_atomic_read_u64(&registry->promised_bound);
  while (seen < promised && !pg_atomic_compare_exchange_u64(&registry->promised_bound, &seen, promised)) {
  }
  *bound = FullTransactionIdFromU64(promised);
  LWLockRelease(registry->lock);
  return count;
}

}  // namespace eventstore::pg
