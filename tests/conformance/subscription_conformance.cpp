#include "subscription_conformance.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace eventstore::conformance {

void SubscriptionConformance::SetUp() {
  auto made = GetParam().make();
  ASSERT_TRUE(made) << "cannot make the stores under test: " << made.error().describe();
  backend_ = std::move(*made);
  ASSERT_NE(backend_.events, nullptr);
  ASSERT_NE(backend_.subscriptions, nullptr);
}

void SubscriptionConformance::append(const std::string& stream, int count, const std::string& type) {
  auto name = StreamName::from(stream);
  ASSERT_TRUE(name) << name.error().describe();
  for (int i = 0; i < count; ++i) {
    auto appended = events().append(*name, ExpectedVersion::any(),
                                    EventData::create(type, "{\"index\": " + std::to_string(i) + "}"));
    ASSERT_TRUE(appended) << appended.error().describe();
  }
}

SubscriptionOptions SubscriptionConformance::quick_options(const std::string& name) {
  SubscriptionOptions options;
  options.name = name;
  options.lease = std::chrono::milliseconds{3'000};
  options.join_interval = std::chrono::milliseconds{100};
  options.wait_timeout = std::chrono::milliseconds{200};
  options.retry_backoff = std::chrono::milliseconds{1};
  options.max_retry_backoff = std::chrono::milliseconds{4};
  options.page_size = 7;  // several pages even for small logs
  return options;
}

namespace {

using namespace std::chrono_literals;

// What a handler saw, for assertions: every event in order, thread-safe.
struct Seen {
  std::mutex mutex;
  std::vector<RecordedEvent> events;

  EventHandler handler() {
    return [this](const RecordedEvent& event) -> HandlerResult {
      std::lock_guard lock(mutex);
      events.push_back(event);
      return {};
    };
  }
  std::vector<RecordedEvent> copy() {
    std::lock_guard lock(mutex);
    return events;
  }
  std::size_t size() {
    std::lock_guard lock(mutex);
    return events.size();
  }
};

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit = 20s) {
  auto give_up = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

// Each stream's versions come 0, 1, 2, ... with neither gap nor repeat.
void expect_each_stream_in_order(const std::vector<RecordedEvent>& seen) {
  std::map<std::string, std::int64_t> next;
  for (const RecordedEvent& event : seen) {
    std::int64_t& expected = next[event.stream.value()];
    EXPECT_EQ(event.version.value(), expected) << event.stream.value();
    expected = event.version.value() + 1;
  }
}

// Each stream's versions come one after the other from the first one seen (a
// member that took a partition over starts at its checkpoint).
void expect_each_stream_contiguous(const std::vector<RecordedEvent>& seen) {
  std::map<std::string, std::int64_t> next;
  for (const RecordedEvent& event : seen) {
    auto found = next.find(event.stream.value());
    if (found != next.end()) {
      EXPECT_EQ(event.version.value(), found->second) << event.stream.value();
    }
    next[event.stream.value()] = event.version.value() + 1;
  }
}

TEST_P(SubscriptionConformance, CatchesUpThenFollowsLiveInLogOrder) {
  append("order-1", 5);
  append("order-2", 9);
  append("invoice-1", 4);
  Seen seen;
  auto subscription = Subscription::start(events(), subscriptions(), quick_options("catch-up"), seen.handler());
  ASSERT_TRUE(subscription) << subscription.error().describe();
  ASSERT_TRUE((*subscription)->wait_until_caught_up(20s));
  ASSERT_EQ(seen.size(), 18u);

  append("order-1", 3);
  append("order-3", 2);
  ASSERT_TRUE(eventually([&] { return seen.size() == 23; })) << seen.size();
  auto all = seen.copy();
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].log_position, all[i].log_position);
  expect_each_stream_in_order(all);
  EXPECT_EQ((*subscription)->statistics().events_handled, 23);
}

TEST_P(SubscriptionConformance, ReadsOnlyItsCategoryOrEventTypes) {
  append("order-1", 3, "OrderPlaced");
  append("invoice-1", 2, "InvoiceSent");
  append("order-2", 2, "OrderShipped");
  Seen orders, shipped;
  auto by_category = quick_options("orders-only");
  by_category.source = SubscriptionSource::of_category("order");
  auto by_type = quick_options("shipped-only");
  by_type.source = SubscriptionSource::of_types({"OrderShipped", "InvoiceSent"});
  auto first = Subscription::start(events(), subscriptions(), by_category, orders.handler());
  auto second = Subscription::start(events(), subscriptions(), by_type, shipped.handler());
  ASSERT_TRUE(first && second);
  ASSERT_TRUE((*first)->wait_until_caught_up(20s) && (*second)->wait_until_caught_up(20s));
  EXPECT_EQ(orders.size(), 5u);
  EXPECT_EQ(shipped.size(), 4u);
  for (const RecordedEvent& event : orders.copy()) EXPECT_EQ(event.stream.category(), "order");
  for (const RecordedEvent& event : shipped.copy()) EXPECT_NE(event.type, "OrderPlaced");
}

TEST_P(SubscriptionConformance, ResumesAfterItsCheckpointWithoutRepeats) {
  append("order-1", 10);
  Seen first_run;
  {
    auto subscription = Subscription::start(events(), subscriptions(), quick_options("resume"), first_run.handler());
    ASSERT_TRUE(subscription);
    ASSERT_TRUE((*subscription)->wait_until_caught_up(20s));
  }
  append("order-1", 4);
  append("order-2", 3);
  Seen second_run;
  auto subscription = Subscription::start(events(), subscriptions(), quick_options("resume"), second_run.handler());
  ASSERT_TRUE(subscription);
  ASSERT_TRUE((*subscription)->wait_until_caught_up(20s));
  EXPECT_EQ(first_run.size(), 10u);
  ASSERT_EQ(second_run.size(), 7u);
  EXPECT_EQ(second_run.copy().front().version.value(), 10);
}

TEST_P(SubscriptionConformance, CheckpointsMoveOnlyForwardsAndOnlyForTheLeaseHolder) {
  SubscriptionMembership a{"fenced", "member-a", {}, 2, 60s};
  SubscriptionMembership b{"fenced", "member-b", {}, 2, 60s};
  auto held = subscriptions().join(a);
  ASSERT_TRUE(held);
  ASSERT_EQ(held->size(), 2u);
  PartitionLease old_lease = held->front();
  EXPECT_EQ(subscriptions().acknowledge(a, old_lease, LogPosition{100, GlobalPosition{7}}), true);
  EXPECT_EQ(subscriptions().acknowledge(a, old_lease, LogPosition{100, GlobalPosition{7}}), false);
  EXPECT_EQ(subscriptions().acknowledge(a, old_lease, LogPosition{99, GlobalPosition{500}}), false);

  // b joins; a lets partition 1 go at its next join, b takes it with a new epoch.
  ASSERT_TRUE(subscriptions().join(b));
  ASSERT_TRUE(subscriptions().join(a));
  auto taken = subscriptions().join(b);
  ASSERT_TRUE(taken);
  ASSERT_EQ(taken->size(), 1u);
  EXPECT_EQ(taken->front().partition, 1);
  EXPECT_GT(taken->front().epoch, held->back().epoch);
  auto late = subscriptions().acknowledge(a, held->back(), LogPosition{500, GlobalPosition{1}});
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code(), ErrorCode::lease_lost);
  EXPECT_EQ(subscriptions().acknowledge(b, taken->front(), LogPosition{500, GlobalPosition{1}}), true);

  SubscriptionMembership other_shape = b;
  other_shape.partition_count = 3;
  auto refused = subscriptions().join(other_shape);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::invalid_argument);
  SubscriptionMembership bad_name = b;
  bad_name.subscription = "no spaces";
  ASSERT_FALSE(subscriptions().join(bad_name));
  EXPECT_EQ(subscriptions().join(bad_name).error().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(subscriptions().replay_parked("never-made").error().code(), ErrorCode::subscription_not_found);
}

TEST_P(SubscriptionConformance, ParksAPoisonEventAndGoesOnWithTheOthers) {
  append("order-1", 3);
  append("order-2", 3);
  append("order-3", 3);
  std::atomic<bool> healed{false};
  Seen seen;
  auto handler = [&](const RecordedEvent& event) -> HandlerResult {
    if (!healed && event.stream.value() == "order-2" && event.version.value() == 1)
      return std::unexpected(std::string{"cannot handle order-2 v1"});
    return seen.handler()(event);
  };
  auto options = quick_options("poison");
  options.max_attempts = 3;
  auto subscription = Subscription::start(events(), subscriptions(), options, handler);
  ASSERT_TRUE(subscription);
  ASSERT_TRUE((*subscription)->wait_until_caught_up(20s));
  EXPECT_EQ(seen.size(), 8u);
  auto statistics = (*subscription)->statistics();
  EXPECT_EQ(statistics.events_parked, 1);
  EXPECT_EQ(statistics.handler_failures, 3);

  auto parked = subscriptions().parked_events("poison");
  ASSERT_TRUE(parked);
  ASSERT_EQ(parked->size(), 1u);
  EXPECT_EQ(parked->front().stream.value(), "order-2");
  EXPECT_EQ(parked->front().version.value(), 1);
  EXPECT_EQ(parked->front().attempts, 3);
  EXPECT_EQ(parked->front().error, "cannot handle order-2 v1");
  EXPECT_EQ(parked->front().state, ParkedEventState::parked);
  auto lag = subscriptions().lag("poison");
  ASSERT_TRUE(lag);
  ASSERT_EQ(lag->size(), 1u);
  EXPECT_EQ(lag->front().parked_events, 1);
  EXPECT_EQ(lag->front().events_behind, 0);

  // An operator replays it once the handler can cope.
  healed = true;
  EXPECT_EQ(subscriptions().replay_parked("poison"), 1);
  ASSERT_TRUE(eventually([&] { return seen.size() == 9; })) << seen.size();
  ASSERT_TRUE(eventually([&] {
    auto now = subscriptions().parked_events("poison");
    return now && now->size() == 1 && now->front().state == ParkedEventState::replayed;
  }));
  EXPECT_EQ((*subscription)->statistics().parked_events_replayed, 1);
}

TEST_P(SubscriptionConformance, SkipsAParkedEventOnAnOperatorsCommand) {
  append("order-1", 2);
  auto options = quick_options("skipping");
  options.max_attempts = 1;
  auto subscription = Subscription::start(events(), subscriptions(), options, [](const RecordedEvent& event) {
    return event.version.value() == 0 ? HandlerResult{std::unexpected(std::string{"no"})} : HandlerResult{};
  });
  ASSERT_TRUE(subscription);
  ASSERT_TRUE((*subscription)->wait_until_caught_up(20s));
  auto parked = subscriptions().parked_events("skipping");
  ASSERT_TRUE(parked && parked->size() == 1);
  EXPECT_EQ(subscriptions().skip_parked("skipping", parked->front().event_id), 1);
  EXPECT_EQ(subscriptions().skip_parked("skipping", parked->front().event_id), 0);
  EXPECT_EQ(subscriptions().parked_events("skipping")->front().state, ParkedEventState::skipped);
}

TEST_P(SubscriptionConformance, MembersShareTheStreamsAndTakeOverWhenOneLeaves) {
  for (int stream = 0; stream < 12; ++stream) append("order-" + std::to_string(stream), 4);
  auto options = quick_options("group");
  options.partition_count = 4;
  Seen seen_a, seen_b;
  auto a_options = options, b_options = options;
  a_options.member = "member-a";
  b_options.member = "member-b";
  auto a = Subscription::start(events(), subscriptions(), a_options, seen_a.handler());
  ASSERT_TRUE(a);
  auto b = Subscription::start(events(), subscriptions(), b_options, seen_b.handler());
  ASSERT_TRUE(b);
  ASSERT_TRUE(eventually([&] { return (*a)->partitions().size() == 2 && (*b)->partitions().size() == 2; }));
  append("order-0", 2);
  append("order-5", 2);
  for (int stream = 12; stream < 20; ++stream) append("order-" + std::to_string(stream), 2);
  ASSERT_TRUE((*a)->wait_until_caught_up(20s) && (*b)->wait_until_caught_up(20s));

  // Each member handles its streams in version order; together they handle
  // every event (some twice, when a partition moved before its checkpoint).
  std::set<std::string> ids;
  std::size_t total = 0;
  for (auto* seen : {&seen_a, &seen_b}) {
    auto events_seen = seen->copy();
    expect_each_stream_contiguous(events_seen);
    for (const RecordedEvent& event : events_seen) ids.insert(event.id.to_string());
    total += events_seen.size();
  }
  EXPECT_EQ(ids.size(), 12u * 4 + 4 + 16);
  EXPECT_GE(total, ids.size());
  EXPECT_GT(seen_b.size(), 0u);

  // a leaves: b takes every partition and handles what comes next.
  (*a)->stop();
  ASSERT_TRUE(eventually([&] { return (*b)->partitions().size() == 4; }));
  std::size_t before = seen_b.size();
  for (int stream = 0; stream < 12; ++stream) append("order-" + std::to_string(stream), 1);
  ASSERT_TRUE(eventually([&] { return seen_b.size() >= before + 12; })) << seen_b.size() - before;
  ASSERT_TRUE((*b)->wait_until_caught_up(20s));
  std::map<std::string, std::int64_t> last;
  for (const RecordedEvent& event : seen_b.copy()) last[event.stream.value()] = event.version.value();
  for (int stream = 0; stream < 12; ++stream) EXPECT_GE(last["order-" + std::to_string(stream)], 4);
}

TEST_P(SubscriptionConformance, TakesOverTheShareOfAMemberThatStoppedRenewing) {
  append("order-1", 5);
  append("order-2", 5);
  // A member that joined and died: it never renews its lease.
  SubscriptionMembership ghost{"takeover", "ghost", {}, 2, std::chrono::milliseconds{400}};
  ASSERT_TRUE(subscriptions().join(ghost));
  Seen seen;
  auto options = quick_options("takeover");
  options.partition_count = 2;
  options.lease = std::chrono::milliseconds{400};
  options.join_interval = std::chrono::milliseconds{50};
  auto started = std::chrono::steady_clock::now();
  auto subscription = Subscription::start(events(), subscriptions(), options, seen.handler());
  ASSERT_TRUE(subscription);
  ASSERT_TRUE(eventually([&] { return seen.size() == 10; })) << seen.size();
  auto took = std::chrono::steady_clock::now() - started;
  // The ghost's lease (400 ms) plus a join interval or two.
  EXPECT_LT(took, 3s);
  EXPECT_EQ((*subscription)->partitions().size(), 2u);
}

TEST_P(SubscriptionConformance, BoundsItsQueueWhenTheHandlerIsSlow) {
  for (int stream = 0; stream < 10; ++stream) append("order-" + std::to_string(stream), 10);
  auto options = quick_options("slow");
  options.queue_capacity = 8;
  options.page_size = 20;
  std::atomic<int> handled{0};
  auto subscription = Subscription::start(events(), subscriptions(), options, [&](const RecordedEvent&) {
    std::this_thread::sleep_for(1ms);
    ++handled;
    return HandlerResult{};
  });
  ASSERT_TRUE(subscription);
  ASSERT_TRUE((*subscription)->wait_until_caught_up(30s));
  EXPECT_EQ(handled, 100);
  auto statistics = (*subscription)->statistics();
  EXPECT_LE(statistics.max_queued_events, options.queue_capacity);
  EXPECT_GE(statistics.max_queued_events, options.queue_capacity - 1) << "the reader should have filled the queue";
}

TEST_P(SubscriptionConformance, CountsTheLagOfEachPartition) {
  append("order-1", 3);
  {
    auto subscription = Subscription::start(events(), subscriptions(), quick_options("lagging"),
                                            [](const RecordedEvent&) { return HandlerResult{}; });
    ASSERT_TRUE(subscription);
    ASSERT_TRUE((*subscription)->wait_until_caught_up(20s));
  }
  append("order-1", 4);
  append("order-2", 2);
  auto lag = subscriptions().lag("lagging");
  ASSERT_TRUE(lag);
  ASSERT_EQ(lag->size(), 1u);
  EXPECT_EQ(lag->front().events_behind, 6);
  EXPECT_GE(lag->front().seconds_behind, 0.0);
  EXPECT_TRUE(lag->front().checkpoint.has_value());
  EXPECT_FALSE(subscriptions().lag("no-such-subscription"));
}

TEST_P(SubscriptionConformance, ResetMakesTheSubscriptionReadAgain) {
  append("order-1", 4);
  Seen seen;
  auto subscription = Subscription::start(events(), subscriptions(), quick_options("again"), seen.handler());
  ASSERT_TRUE(subscription);
  ASSERT_TRUE((*subscription)->wait_until_caught_up(20s));
  ASSERT_EQ(seen.size(), 4u);
  ASSERT_TRUE(subscriptions().reset("again"));
  ASSERT_TRUE(eventually([&] { return seen.size() == 8; })) << seen.size();
}

TEST_P(SubscriptionConformance, RefusesBadOptions) {
  auto options = quick_options("bad");
  options.page_size = 0;
  auto refused =
      Subscription::start(events(), subscriptions(), options, [](const RecordedEvent&) { return HandlerResult{}; });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::invalid_argument);
  options = quick_options("bad name!");
  refused =
      Subscription::start(events(), subscriptions(), options, [](const RecordedEvent&) { return HandlerResult{}; });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace eventstore::conformance
