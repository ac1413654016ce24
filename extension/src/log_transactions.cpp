#include "log_transactions.hpp"

#include "log_clock.hpp"
#include "log_wakeup.hpp"

namespace eventstore::pg {
namespace {

struct RegistryEntry {
  Oid database;
  int pid;
  TransactionId xid;
  uint64 log_transaction;  // 0: free
};

// The clock of one database's log (each store has its own offset).
struct DatabaseClock {
  Oid database;  // InvalidOid: free
  // The highest bound a reader has taken for log transactions not yet taken
  // (log_fence.cpp): a log transaction taken later is not below it.
  pg_atomic_uint64 promised_bound;
  // The newest log transaction taken (written under the exclusive lock).
  uint64 newest_taken;
};

// Databases beyond this many share the last clock: their log transactions
// are then pushed up by each other's, which is safe, only larger.
constexpr int database_clock_count = 64;

// One entry per PGPROC slot: a backend has at most one top-level transaction.
struct Registry {
  LWLock* lock;
  DatabaseClock clocks[database_clock_count];
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
DatabaseClock* own_clock = nullptr;  // this backend's database's, once looked up

// Called with the registry lock held exclusively.
DatabaseClock* database_clock() {
  if (own_clock != nullptr) return own_clock;
  for (DatabaseClock& clock : registry->clocks)
    if (clock.database == MyDatabaseId || clock.database == InvalidOid) {
      clock.database = MyDatabaseId;
      return own_clock = &clock;
    }
  return own_clock = &registry->clocks[database_clock_count - 1];
}

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
    for (DatabaseClock& clock : shared->clocks) {
      clock.database = InvalidOid;
      pg_atomic_init_u64(&clock.promised_bound, 0);
      clock.newest_taken = 0;
    }
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
    // A prepared transaction still holds the fence; its end wakes nobody
    // (readers notice it at their next timed wake-up).
    if (event != XACT_EVENT_PREPARE) wake_log_readers();
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
  DatabaseClock* clock_of_database = database_clock();
  current = FullTransactionIdFromU64(Max(Max(next, floor), pg_atomic_read_u64(&clock_of_database->promised_bound)));
  clock_of_database->newest_taken = Max(clock_of_database->newest_taken, U64FromFullTransactionId(current));
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
  if (own_clock == nullptr) {
    LWLockAcquire(registry->lock, LW_EXCLUSIVE);
    database_clock();
    LWLockRelease(registry->lock);
  }
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
  uint64 promised = Max(U64FromFullTransactionId(ReadNextFullTransactionId()) + offset, own_clock->newest_taken) + 1;
  uint64 seen = pg_atomic_read_u64(&own_clock->promised_bound);
  while (seen < promised && !pg_atomic_compare_exchange_u64(&own_clock->promised_bound, &seen, promised)) {
  }
  *bound = FullTransactionIdFromU64(promised);
  LWLockRelease(registry->lock);
  return count;
}

}  // namespace eventstore::pg
