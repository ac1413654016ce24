// The consumer of Subscription::start with an EventHandler: the handler's
// effects are its own business (at least once), and the checkpoints are
// acknowledged one partition at a time.
#include "subscription_state.hpp"

namespace eventstore {
namespace {

class AcknowledgingConsumer final : public SubscriptionConsumer {
 public:
  AcknowledgingConsumer(SubscriptionStore& store, SubscriptionMembership membership, EventHandler handler)
      : store_(store), membership_(std::move(membership)), handler_(std::move(handler)) {}

  HandlerResult handle(const RecordedEvent& event, const PartitionLease&) override { return handler_(event); }

  Result<void> commit(std::span<const PartitionCheckpoint> checkpoints) override {
    for (const PartitionCheckpoint& checkpoint : checkpoints)
      if (auto acknowledged = store_.acknowledge(membership_, checkpoint.lease, checkpoint.position); !acknowledged)
        return std::unexpected(acknowledged.error());
    return {};
  }

 private:
  SubscriptionStore& store_;
  const SubscriptionMembership membership_;
  EventHandler handler_;
};

}  // namespace

std::shared_ptr<SubscriptionConsumer> acknowledging_consumer(SubscriptionStore& store,
                                                             SubscriptionMembership membership, EventHandler handler) {
  return std::make_shared<AcknowledgingConsumer>(store, std::move(membership), std::move(handler));
}

}  // namespace eventstore
