// The commit-safe fence of the global log: every event whose log transaction
// (log_transactions.hpp) is below the fence is final for the reader's
// snapshot: committed and visible, or never to appear. A reader that pages on
// (transaction_id, position) below the fence never skips an event that
// commits late, nor sees one twice.
//
// What holds the fence back:
// - with the registry (shared_preload_libraries), only transactions of this
//   database that append: registered log transactions, and prepared
//   transactions (whose registration cannot outlive a restart);
// - without it, or when eventstore.log_fence_source = 'transactions', and on
//   a standby, every transaction of this database that has a transaction id,
//   as up to release 0.2.
#pragma once

#include "postgres.hpp"

namespace eventstore::pg {

enum class FenceSource { appenders, transactions, recovery };

struct LogFence {
  FullTransactionId fence;
  FenceSource source;
};

FenceSource fence_source(Snapshot snapshot);

// The fence for a given snapshot (the statement's, for the SQL reads; the
// transaction's, under REPEATABLE READ). It also holds back the log
// transactions of transactions that got their id after the snapshot, so the
// newest append may show only once the server's transaction counter moves on.
LogFence log_fence(Snapshot snapshot);

// The fence, then a new snapshot (registered: the caller unregisters it) in
// which every event below the fence is final. The reads of READ COMMITTED
// transactions use it: the newest committed append is below the fence at once.
LogFence log_fence_and_snapshot(Snapshot* snapshot);

}  // namespace eventstore::pg
