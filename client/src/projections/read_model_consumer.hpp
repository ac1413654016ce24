// The consumer a projection's subscription runs: every event in a savepoint
// of one open transaction on the projection's own connection, and at each
// commit the subscription's checkpoints acknowledged in that transaction
// before COMMIT. The read model and the checkpoints move together or not at
// all: after a crash the subscription resumes where the read model is.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eventstore/postgres/read_model_session.hpp"
#include "eventstore/projections/projection.hpp"
#include "eventstore/store/subscription_membership.hpp"
#include "eventstore/subscriptions/event_handler.hpp"

namespace eventstore::detail {

class ReadModelConsumer final : public SubscriptionConsumer {
 public:
  ReadModelConsumer(ReadModelSession session, SubscriptionMembership membership, ProjectionHandler handler,
                    std::string schema, std::optional<LogPosition> replay_until, std::function<void()> before_commit);

  [[nodiscard]] HandlerResult handle(const RecordedEvent& event, const PartitionLease& lease) override;
  [[nodiscard]] Result<void> commit(std::span<const PartitionCheckpoint> checkpoints) override;
  void abandon() override;
  // A failed COMMIT may have committed: read again from the checkpoints.
  [[nodiscard]] bool commit_can_be_repeated() const override { return false; }
  [[nodiscard]] bool must_start_over() const override { return broken_; }

 private:
  ReadModelSession session_;
  const SubscriptionMembership membership_;
  ProjectionHandler handler_;
  const std::string schema_;
  const std::optional<LogPosition> replay_until_;
  std::function<void()> before_commit_;
  std::vector<std::function<void()>> effects_;
  bool broken_ = false;
};

}  // namespace eventstore::detail
