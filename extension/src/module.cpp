// The shared library's identity and start-up: the magic block, and _PG_init,
// which defines the settings, the cache invalidation the catalog, partition and
// log clock lookups use, the callbacks that end a log transaction, and (when
// preloaded) asks for the shared counters, the log transaction registry and
// the readers' wake-ups.
#include "postgres.hpp"

#include "catalog.hpp"
#include "counters.hpp"
#include "event_partitions.hpp"
#include "log_clock.hpp"
#include "log_transactions.hpp"
#include "log_wakeup.hpp"
#include "settings.hpp"

extern "C" {
PG_MODULE_MAGIC;

// PostgreSQL 15's fmgr.h no longer declares _PG_init; without C linkage it would never run.
PGDLLEXPORT void _PG_init(void);

void _PG_init(void) {
  eventstore::settings::define_all();
  eventstore::pg::register_catalog_invalidation();
  eventstore::pg::register_partition_invalidation();
  eventstore::pg::register_log_clock_callbacks();
  eventstore::pg::register_log_transaction_callbacks();
  if (process_shared_preload_libraries_in_progress) {
    eventstore::pg::request_counters();
    eventstore::pg::request_log_transaction_registry();
    eventstore::pg::request_log_wakeups();
  }
}
}
