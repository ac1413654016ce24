// The store's identity and the clock of its global log, from
// eventstore.store_identity (read through eventstore.log_clock(), once per
// backend). Log transactions (log_transactions.hpp) are the server's
// transaction counter plus `transaction_offset`: zero in the cluster a store
// was created in; after a dump and restore (or a logical copy) into a cluster
// whose counter is behind, the offset that puts every new log transaction
// after every restored one. The row records the cluster (system identifier) it
// was computed for, so a restored row is recomputed at its first use.
#pragma once

#include "postgres.hpp"

namespace eventstore::pg {

struct LogClock {
  bool has_store_id;  // false for version 0.2, which has no identity
  pg_uuid_t store_id;
  uint64 transaction_offset;
  // The newest log transaction stored when the clock was read (0: none): log
  // transactions taken by this backend are above it.
  uint64 newest_transaction;
};

const LogClock& log_clock();

// Forgets the clock when the identity table changes (a relcache invalidation:
// DROP EXTENSION and CREATE again), and when a (sub)transaction that read it
// first aborts: the row it may have written is gone.
void register_log_clock_callbacks();

}  // namespace eventstore::pg
