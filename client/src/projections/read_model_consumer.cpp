#include "read_model_consumer.hpp"

#include <exception>

namespace eventstore::detail {

ReadModelConsumer::ReadModelConsumer(ReadModelSession session, SubscriptionMembership membership,
                                     ProjectionHandler handler, std::string schema,
                                     std::optional<LogPosition> replay_until, std::function<void()> before_commit)
    : session_(std::move(session)),
      membership_(std::move(membership)),
      handler_(std::move(handler)),
      schema_(std::move(schema)),
      replay_until_(replay_until),
      before_commit_(std::move(before_commit)) {}

HandlerResult ReadModelConsumer::handle(const RecordedEvent& event, const PartitionLease&) {
  broken_ = false;
  auto infrastructure = [&](const Error& error) {
    // Not the handler's failure: the transaction is gone, and with it the
    // events before this one since the last commit.
    broken_ = true;
    session_.rollback();
    effects_.clear();
    return HandlerResult{std::unexpected("the read model's transaction failed: " + error.describe())};
  };
  if (!session_.in_transaction())
    if (auto begun = session_.begin(); !begun) return infrastructure(begun.error());
  if (auto saved = session_.execute("SAVEPOINT projection_event"); !saved) return infrastructure(saved.error());
  const bool replaying = replay_until_ && event.log_position <= *replay_until_;
  ProjectionContext context{session_, schema_, replaying};
  HandlerResult handled;
  try {
    handled = handler_(event, context);
  } catch (const std::exception& exception) {
    handled = std::unexpected(std::string{"the projection threw: "} + exception.what());
  }
  if (!handled) {
    if (auto undone = session_.execute("ROLLBACK TO SAVEPOINT projection_event"); !undone)
      return infrastructure(undone.error());
    return handled;
  }
  if (auto released = session_.execute("RELEASE SAVEPOINT projection_event"); !released)
    return infrastructure(released.error());
  for (auto& effect : context.take_effects())
    if (!replaying) effects_.push_back(std::move(effect));
  return {};
}

Result<void> ReadModelConsumer::commit(std::span<const PartitionCheckpoint> checkpoints) {
  if (!session_.in_transaction()) {
    if (checkpoints.empty()) return {};
    if (auto begun = session_.begin(); !begun) return std::unexpected(begun.error());
  }
  for (const PartitionCheckpoint& checkpoint : checkpoints) {
    auto acknowledged =
        session_.execute("SELECT eventstore.acknowledge($1, $2, $3, $4, $5::xid8, $6)",
                         {membership_.subscription, membership_.member, std::to_string(checkpoint.lease.partition),
                          std::to_string(checkpoint.lease.epoch), std::to_string(checkpoint.position.transaction_id),
                          std::to_string(checkpoint.position.position.value())});
    if (!acknowledged) {
      abandon();
      return std::unexpected(acknowledged.error());
    }
  }
  if (before_commit_) before_commit_();
  if (auto committed = session_.commit(); !committed) {
    abandon();
    return std::unexpected(committed.error());
  }
  auto effects = std::move(effects_);
  effects_.clear();
  for (auto& effect : effects) {
    try {
      effect();
    } catch (...) {
      // An effect's failure is its own; the read model is committed.
    }
  }
  return {};
}

void ReadModelConsumer::abandon() {
  session_.rollback();
  effects_.clear();
}

}  // namespace eventstore::detail
