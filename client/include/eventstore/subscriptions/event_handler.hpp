// What a subscription calls for each event. A handler reports a failure as
// an error text (or throws: the exception's what() is the text); the
// subscription retries, then parks the event.
#pragma once

#include <expected>
#include <functional>
#include <span>
#include <string>

#include "eventstore/store/partition_lease.hpp"
#include "eventstore/store/recorded_event.hpp"
#include "eventstore/store/result.hpp"

namespace eventstore {

using HandlerResult = std::expected<void, std::string>;
using EventHandler = std::function<HandlerResult(const RecordedEvent&)>;

// A partition's new checkpoint, for the lease it was read under.
struct PartitionCheckpoint {
  PartitionLease lease;
  LogPosition position;
};

// The full contract between a subscription and what consumes it: handle
// each event, then commit the checkpoints of what was handled. The plain
// consumer (an EventHandler) acknowledges the checkpoints on their own; a
// projection writes its read model and the checkpoints in one transaction.
class SubscriptionConsumer {
 public:
  virtual ~SubscriptionConsumer() = default;

  // Handles one event of a partition the member holds under `lease`.
  [[nodiscard]] virtual HandlerResult handle(const RecordedEvent& event, const PartitionLease& lease) = 0;
  // Makes what was handled since the last commit durable, with the
  // partitions' checkpoints. lease_lost when a partition passed to another
  // member: then nothing of it may stay (the new holder handles it again).
  [[nodiscard]] virtual Result<void> commit(std::span<const PartitionCheckpoint> checkpoints) = 0;
  // Drops what was handled since the last commit (the subscription stops or
  // a commit failed).
  virtual void abandon() {}
  // Whether a commit that failed with a retryable error (a lost connection)
  // may simply be tried again: true when commit only writes checkpoints
  // (moving a checkpoint to where it already is changes nothing); false when
  // the failed commit may have taken effects with it (a transaction whose
  // outcome is unknown): then the subscription reads again from the
  // checkpoints.
  [[nodiscard]] virtual bool commit_can_be_repeated() const { return true; }
  // After a failed handle(): true when the failure was not the handler's but
  // the consumer's own (its transaction broke, taking the events handled
  // since the last commit with it). The subscription then neither retries
  // nor parks the event: it reads again from the checkpoints.
  [[nodiscard]] virtual bool must_start_over() const { return false; }
};

}  // namespace eventstore
