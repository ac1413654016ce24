// The commit-safe fence of the global log: the oldest transaction of this
// database still in flight when the snapshot was taken (transactions of other
// databases cannot write our events, so they do not hold readers back). Every
// transaction below it has ended, so the events below it are final: none can
// still appear there, and a reader that pages on (transaction_id, position)
// below the fence never skips an event that commits late with a low position,
// nor sees one twice.
#pragma once

#include "postgres.hpp"

namespace eventstore::pg {

FullTransactionId log_fence(Snapshot snapshot);

}  // namespace eventstore::pg
