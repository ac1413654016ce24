#include "log_fence.hpp"

#include "../core/full_transaction_id.hpp"
#include "boundary.hpp"

namespace eventstore::pg {

FullTransactionId log_fence(Snapshot snapshot) {
  FullTransactionId next = ReadNextFullTransactionId();
  FullTransactionId fence =
      FullTransactionIdFromU64(core::widen_transaction_id(snapshot->xmin, U64FromFullTransactionId(next)));
  // A snapshot does not count its own transaction as in flight, but its
  // uncommitted events are not final either.
  FullTransactionId own = GetTopFullTransactionIdIfAny();
  if (FullTransactionIdIsValid(own) && FullTransactionIdPrecedes(own, fence)) fence = own;
  return fence;
}

}  // namespace eventstore::pg

EVENTSTORE_SQL_FUNCTION(eventstore_log_fence, [](FunctionCallInfo) {
  return FullTransactionIdGetDatum(eventstore::pg::log_fence(GetActiveSnapshot()));
})
