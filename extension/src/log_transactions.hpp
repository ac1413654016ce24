// Log transactions: the key that orders a transaction's events in the global
// log, (transaction_id, position). A transaction takes its log transaction at
// its first append, once the streams it appends to are locked: the server's
// next transaction id at that moment, plus the log clock's offset
// (log_clock.hpp). So it is never older than the log transaction of an append
// that committed before, to the same stream or any other; a transaction that
// wrote something else earlier (and so has an older transaction id) still
// appends after everything readers have already passed.
//
// With the library in shared_preload_libraries, every transaction that holds
// a log transaction is registered in shared memory until it ends, so that the
// log fence (log_fence.hpp) is held back only by transactions that append.
#pragma once

#include "postgres.hpp"

namespace eventstore::pg {

// Asks for the registry's shared memory (from _PG_init while preloading).
void request_log_transaction_registry();
// The callbacks that end a log transaction with its transaction (always).
void register_log_transaction_callbacks();
bool log_transaction_registry_available();

// This transaction's log transaction; invalid before its first append. It is
// the counter plus the offset, but not below the newest log transaction
// stored when this backend read the clock (after a crash, the counter may
// restart below transaction ids handed out but never logged), nor, with the
// registry, below any bound a reader was promised (registered_log_writers).
FullTransactionId current_log_transaction();
// Takes (and registers) this transaction's log transaction, the first time.
FullTransactionId take_log_transaction();

// A registered log transaction of this database.
struct LogWriter {
  int pid;
  TransactionId xid;  // the top-level transaction that holds it
  FullTransactionId log_transaction;
};

// Copies the registered log transactions of this database into `writers`
// (room for log_writer_capacity()) and returns how many there are. Sets
// `bound` above the counter plus `offset` and above every log transaction
// taken so far, and promises it: every log transaction taken from now on is
// at least `bound`.
int registered_log_writers(LogWriter* writers, uint64 offset, FullTransactionId* bound);
int log_writer_capacity();

}  // namespace eventstore::pg
