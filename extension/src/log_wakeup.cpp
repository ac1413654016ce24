#include "log_wakeup.hpp"

#include "arguments.hpp"
#include "boundary.hpp"
#include "settings.hpp"

namespace eventstore::pg {
namespace {

// The change counter and the sleeping readers of one database.
struct DatabaseWakeup {
  pg_atomic_uint32 database;  // InvalidOid: free
  pg_atomic_uint64 changes;
  ConditionVariable readers;
};

// Databases beyond this many share the last slot: their readers then wake up
// for each other's appends too, which costs a page read, never an event.
constexpr int wakeup_slot_count = 64;

struct Wakeups {
  DatabaseWakeup slots[wakeup_slot_count];
};

// Null unless preloaded; set once in each process at start-up.
Wakeups* wakeups = nullptr;
DatabaseWakeup* own_slot = nullptr;  // this backend's database's, once looked up
shmem_request_hook_type previous_request_hook = nullptr;
shmem_startup_hook_type previous_startup_hook = nullptr;

void request_memory() {
  if (previous_request_hook != nullptr) previous_request_hook();
  RequestAddinShmemSpace(MAXALIGN(sizeof(Wakeups)));
}

void attach_memory() {
  if (previous_startup_hook != nullptr) previous_startup_hook();
  LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
  bool found;
  auto* shared = static_cast<Wakeups*>(ShmemInitStruct("pg_eventstore log wake-ups", sizeof(Wakeups), &found));
  if (!found)
    for (DatabaseWakeup& slot : shared->slots) {
      pg_atomic_init_u32(&slot.database, InvalidOid);
      pg_atomic_init_u64(&slot.changes, 0);
      ConditionVariableInit(&slot.readers);
    }
  LWLockRelease(AddinShmemInitLock);
  wakeups = shared;
}

// Claims a free slot with a compare-and-swap, so no lock is needed.
DatabaseWakeup* database_slot() {
  if (own_slot != nullptr) return own_slot;
  for (DatabaseWakeup& slot : wakeups->slots) {
    uint32 seen = pg_atomic_read_u32(&slot.database);
    if (seen == MyDatabaseId) return own_slot = &slot;
    if (seen == InvalidOid) {
      uint32 expected = InvalidOid;
      if (pg_atomic_compare_exchange_u32(&slot.database, &expected, MyDatabaseId) || expected == MyDatabaseId)
        return own_slot = &slot;
    }
  }
  return own_slot = &wakeups->slots[wakeup_slot_count - 1];
}

}  // namespace

void request_log_wakeups() {
  previous_request_hook = shmem_request_hook;
  shmem_request_hook = request_memory;
  previous_startup_hook = shmem_startup_hook;
  shmem_startup_hook = attach_memory;
}

void wake_log_readers() {
  if (wakeups == nullptr || !settings::log_wakeups) return;
  DatabaseWakeup* slot = database_slot();
  pg_atomic_fetch_add_u64(&slot->changes, 1);
  ConditionVariableBroadcast(&slot->readers);
}

namespace {

// How long a reader without wake-ups sleeps before it reads again.
constexpr long poll_interval_ms = 100;

// eventstore.wait_for_log(seen, timeout_ms): the database's change counter,
// once it differs from `seen` or after timeout_ms; at once when `seen` is
// NULL. NULL without wake-ups (the library not preloaded), after a sleep of
// at most 100 ms: the caller then polls.
Datum wait_for_log(FunctionCallInfo fcinfo) {
  require_argument(fcinfo, 1, "timeout_ms");
  int32 timeout_ms = PG_GETARG_INT32(1);
  if (timeout_ms < 0)
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("timeout_ms must not be negative, got %d", timeout_ms)));
  if (wakeups == nullptr) {
    long sleep_ms = Min(static_cast<long>(timeout_ms), poll_interval_ms);
    if (sleep_ms > 0)
      (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, sleep_ms, PG_WAIT_EXTENSION);
    ResetLatch(MyLatch);
    CHECK_FOR_INTERRUPTS();
    PG_RETURN_NULL();
  }
  DatabaseWakeup* slot = database_slot();
  if (PG_ARGISNULL(0) || timeout_ms == 0) PG_RETURN_INT64(static_cast<int64>(pg_atomic_read_u64(&slot->changes)));
  uint64 seen = static_cast<uint64>(PG_GETARG_INT64(0));
  TimestampTz deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), timeout_ms);
  ConditionVariablePrepareToSleep(&slot->readers);
  while (pg_atomic_read_u64(&slot->changes) == seen) {
    long remaining = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), deadline);
    if (remaining <= 0 || ConditionVariableTimedSleep(&slot->readers, remaining, PG_WAIT_EXTENSION)) break;
  }
  ConditionVariableCancelSleep();
  PG_RETURN_INT64(static_cast<int64>(pg_atomic_read_u64(&slot->changes)));
}

}  // namespace
}  // namespace eventstore::pg

EVENTSTORE_SQL_FUNCTION(eventstore_wait_for_log, eventstore::pg::wait_for_log)
