// The shared library's identity and start-up: the magic block, and _PG_init,
// which defines the settings and the cache invalidation the catalog lookup
// and the partition lookup use, and (when preloaded) asks for the shared counters.
#include "postgres.hpp"

#include "catalog.hpp"
#include "counters.hpp"
#include "event_partitions.hpp"
#include "settings.hpp"

extern "C" {
PG_MODULE_MAGIC;

// PostgreSQL 15's fmgr.h no longer declares _PG_init; without C linkage it would never run.
PGDLLEXPORT void _PG_init(void);

void _PG_init(void) {
  eventstore::settings::define_all();
  eventstore::pg::register_catalog_invalidation();
  eventstore::pg::register_partition_invalidation();
  if (process_shared_preload_libraries_in_progress) eventstore::pg::request_counters();
}
}
