#include "counters.hpp"

#include "boundary.hpp"

namespace eventstore::pg {
namespace {

struct SharedCounters {
  pg_atomic_uint64 appends;
  pg_atomic_uint64 events;
  pg_atomic_uint64 conflicts;
};

// Null unless preloaded; set once in each process at start-up.
SharedCounters* counters = nullptr;
shmem_request_hook_type previous_request_hook = nullptr;
shmem_startup_hook_type previous_startup_hook = nullptr;

void request_memory() {
  if (previous_request_hook != nullptr) previous_request_hook();
  RequestAddinShmemSpace(MAXALIGN(sizeof(SharedCounters)));
}

void attach_memory() {
  if (previous_startup_hook != nullptr) previous_startup_hook();
  LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
  bool found;
  auto* shared =
      static_cast<SharedCounters*>(ShmemInitStruct("pg_eventstore counters", sizeof(SharedCounters), &found));
  if (!found) {
    pg_atomic_init_u64(&shared->appends, 0);
    pg_atomic_init_u64(&shared->events, 0);
    pg_atomic_init_u64(&shared->conflicts, 0);
  }
  LWLockRelease(AddinShmemInitLock);
  counters = shared;
}

}  // namespace

void request_counters() {
  previous_request_hook = shmem_request_hook;
  shmem_request_hook = request_memory;
  previous_startup_hook = shmem_startup_hook;
  shmem_startup_hook = attach_memory;
}

void count_append(int64 events) {
  if (counters == nullptr) return;
  pg_atomic_fetch_add_u64(&counters->appends, 1);
  pg_atomic_fetch_add_u64(&counters->events, static_cast<uint64>(events));
}

void count_conflict() {
  if (counters != nullptr) pg_atomic_fetch_add_u64(&counters->conflicts, 1);
}

namespace {

Datum read_counters(FunctionCallInfo fcinfo) {
  TupleDesc descriptor;
  if (get_call_result_type(fcinfo, nullptr, &descriptor) != TYPEFUNC_COMPOSITE)
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED), errmsg("counters must return a composite")));
  descriptor = BlessTupleDesc(descriptor);
  Datum values[3] = {};
  bool is_null[3] = {true, true, true};
  if (counters != nullptr) {
    values[0] = Int64GetDatum(static_cast<int64>(pg_atomic_read_u64(&counters->appends)));
    values[1] = Int64GetDatum(static_cast<int64>(pg_atomic_read_u64(&counters->events)));
    values[2] = Int64GetDatum(static_cast<int64>(pg_atomic_read_u64(&counters->conflicts)));
    is_null[0] = is_null[1] = is_null[2] = false;
  }
  return HeapTupleGetDatum(heap_form_tuple(descriptor, values, is_null));
}

}  // namespace
}  // namespace eventstore::pg

EVENTSTORE_SQL_FUNCTION(eventstore_counters, eventstore::pg::read_counters)
