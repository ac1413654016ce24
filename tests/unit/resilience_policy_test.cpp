// Retry, circuit breaker and bulkhead composed: around any call with
// ResiliencePolicy::call, and around a whole store with ResilientEventStore.
// The store underneath is the in-memory store behind a switch that makes
// calls fail as a sick server would; time is a ManualClock.
#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <future>
#include <thread>

#include "eventstore/resilience/resilient_event_store.hpp"
#include "eventstore/testing/in_memory_event_store.hpp"
#include "eventstore/testing/manual_clock.hpp"

namespace eventstore {
namespace {

using namespace std::chrono_literals;
using eventstore::testing::InMemoryEventStore;
using eventstore::testing::ManualClock;

// Fails calls on demand: before reaching the store, or after it (a reply lost
// on the way back, so the append did happen).
class SickStore final : public ForwardingEventStore {
 public:
  enum class Failure { before_the_store, after_the_store };

  explicit SickStore(FullEventStore& store) : ForwardingEventStore(store) {}

  void fail_next(int calls, ErrorCode code, Failure when = Failure::before_the_store) {
    for (int i = 0; i < calls; ++i) failures_.push_back({code, when});
  }
  void recover() { failures_.clear(); }
  [[nodiscard]] int calls() const { return calls_; }

 protected:
  Result<void> around(const ForwardedCall& /*call*/, const ForwardedAttempt& attempt) override {
    ++calls_;
    if (failures_.empty()) return attempt();
    Planned planned = failures_.front();
    failures_.pop_front();
    if (planned.when == Failure::after_the_store) (void)attempt();
    return std::unexpected(Error{planned.code, "the server is unwell"});
  }

 private:
  struct Planned {
    ErrorCode code;
    Failure when;
  };

  std::deque<Planned> failures_;
  int calls_ = 0;
};

StreamName name(const char* text) { return *StreamName::from(text); }

UniformRandom no_jitter() {
  return [] { return 0.0; };
}

class ResilientEventStoreTest : public ::testing::Test {
 protected:
  ManualClock clock;
  InMemoryEventStore memory;
  SickStore sick{memory};
  std::shared_ptr<CircuitBreaker> breaker = std::make_shared<CircuitBreaker>(
      CircuitBreakerOptions{.window_size = 4, .minimum_calls = 4, .open_duration = 10s, .half_open_trial_calls = 1},
      clock);
  ResiliencePolicy policy{.retry = std::make_shared<const Retry>(RetryOptions{.max_attempts = 3}, clock, no_jitter()),
                          .circuit_breaker = breaker,
                          .bulkhead = std::make_shared<Bulkhead>(BulkheadOptions{.max_concurrent_calls = 2}, clock)};
  ResilientEventStore store{sick, policy};
};

TEST_F(ResilientEventStoreTest, PassingTroubleIsRetried) {
  sick.fail_next(2, ErrorCode::connection_lost);
  auto appended = store.append(name("order-1"), ExpectedVersion::no_stream(), EventData::create("Placed", "{}"));
  ASSERT_TRUE(appended) << appended.error().describe();
  EXPECT_EQ(sick.calls(), 3);
  EXPECT_EQ(memory.recorded_events().size(), 1u);
}

TEST_F(ResilientEventStoreTest, AnAppendWhoseReplyWasLostIsWrittenOnce) {
  sick.fail_next(1, ErrorCode::connection_lost, SickStore::Failure::after_the_store);
  auto appended = store.append(name("order-1"), ExpectedVersion::no_stream(),
                               std::vector{EventData::create("Placed", "{}"), EventData::create("Paid", "{}")});
  // The retry meets the events it wrote itself: the original result, not a conflict.
  ASSERT_TRUE(appended) << appended.error().describe();
  EXPECT_EQ(appended->next_expected_version, StreamVersion{1});
  EXPECT_EQ(sick.calls(), 2);
  EXPECT_EQ(memory.recorded_events().size(), 2u);
}

TEST_F(ResilientEventStoreTest, AConflictIsReturnedAtOnce) {
  ASSERT_TRUE(store.append(name("order-1"), ExpectedVersion::no_stream(), EventData::create("Placed", "{}")));
  auto conflict = store.append(name("order-1"), ExpectedVersion::no_stream(), EventData::create("Placed", "{}"));
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code(), ErrorCode::wrong_expected_version);
  EXPECT_EQ(sick.calls(), 2);
  EXPECT_TRUE(clock.pauses().empty());
}

TEST_F(ResilientEventStoreTest, ASickServerOpensTheCircuitAndCallsFailFast) {
  sick.fail_next(100, ErrorCode::timeout);
  auto first = store.read_stream(name("order-1"));  // three attempts
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code(), ErrorCode::timeout);
  auto second = store.stream_version(name("order-1"));  // the fourth failure opens the circuit
  ASSERT_FALSE(second);
  EXPECT_EQ(breaker->state(), CircuitState::open);
  EXPECT_EQ(second.error().code(), ErrorCode::circuit_open);
  int calls_when_opened = sick.calls();
  EXPECT_EQ(calls_when_opened, 4);

  auto refused = store.read_all(std::nullopt, 10);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::circuit_open);
  EXPECT_EQ(sick.calls(), calls_when_opened);  // the server was spared

  // Recovered meanwhile: after the open duration a trial call closes the circuit.
  sick.recover();
  clock.advance(10s);
  auto trial = store.read_all(std::nullopt, 10);
  EXPECT_TRUE(trial) << trial.error().describe();
  EXPECT_EQ(breaker->state(), CircuitState::closed);
}

TEST_F(ResilientEventStoreTest, TheLazyRangeReadsThroughThePolicy) {
  ASSERT_TRUE(memory.append(
      name("order-1"), ExpectedVersion::no_stream(),
      std::vector{EventData::create("A", "{}"), EventData::create("B", "{}"), EventData::create("C", "{}")}));
  sick.fail_next(1, ErrorCode::connection_lost);
  std::vector<std::string> types;
  for (auto& event : store.stream(name("order-1"), {.page_size = 2})) {
    ASSERT_TRUE(event) << event.error().describe();
    types.push_back(event->type);
  }
  EXPECT_EQ(types, (std::vector<std::string>{"A", "B", "C"}));
}

TEST(ResiliencePolicy, TheRetryIsOutsideTheBreakerAndTheBulkheadInside) {
  ManualClock clock;
  auto bulkhead = std::make_shared<Bulkhead>(BulkheadOptions{.max_concurrent_calls = 1, .max_queued_calls = 0}, clock);
  auto breaker = std::make_shared<CircuitBreaker>(CircuitBreakerOptions{}, clock);
  ResiliencePolicy policy{.retry = std::make_shared<const Retry>(RetryOptions{.max_attempts = 5}, clock, no_jitter()),
                          .circuit_breaker = breaker,
                          .bulkhead = bulkhead};
  // A place taken elsewhere: the first attempts are refused by the bulkhead,
  // retried by the retry, and never counted against the server.
  std::optional<Result<Bulkhead::Permit>> taken{bulkhead->acquire()};
  int attempts_inside = 0;
  auto result = policy.call([&]() -> Result<int> {
    ++attempts_inside;
    return bulkhead->counters().in_use == 1 ? Result<int>{7} : std::unexpected(Error{ErrorCode::internal, ""});
  });
  EXPECT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::bulkhead_full);
  EXPECT_EQ(attempts_inside, 0);
  EXPECT_EQ(bulkhead->counters().rejected, 5u);
  EXPECT_EQ(breaker->counters().failed_calls, 0u);
  EXPECT_EQ(clock.pauses().size(), 4u);
  // While the call runs it holds a place, so the bulkhead is inside the breaker's call.
  taken.reset();
  auto inside = policy.call([&]() -> Result<int> { return static_cast<int>(bulkhead->counters().in_use); });
  ASSERT_TRUE(inside);
  EXPECT_EQ(*inside, 1);
  EXPECT_EQ(bulkhead->counters().in_use, 0u);
}

TEST(ResiliencePolicy, EveryPartIsOptional) {
  ResiliencePolicy nothing;
  int calls = 0;
  auto result = nothing.call([&]() -> Result<int> {
    ++calls;
    return std::unexpected(Error{ErrorCode::connection_lost, ""});
  });
  EXPECT_FALSE(result);
  EXPECT_EQ(calls, 1);

  ManualClock clock;
  ResiliencePolicy only_retry{.retry = std::make_shared<const Retry>(RetryOptions{.max_attempts = 2}, clock)};
  calls = 0;
  EXPECT_FALSE(only_retry.call([&]() -> Result<int> {
    ++calls;
    return std::unexpected(Error{ErrorCode::connection_lost, ""});
  }));
  EXPECT_EQ(calls, 2);
}

TEST(ResiliencePolicy, StandardHasAllThree) {
  ManualClock clock;
  ResiliencePolicy policy = ResiliencePolicy::standard(clock);
  ASSERT_TRUE(policy.retry && policy.circuit_breaker && policy.bulkhead);
  EXPECT_EQ(policy.retry->options().max_attempts, 4);
  EXPECT_EQ(policy.circuit_breaker->state(), CircuitState::closed);
  EXPECT_EQ(policy.bulkhead->options().max_concurrent_calls, 16u);
  auto result = policy.call([]() -> Result<std::string> { return std::string{"done"}; });
  ASSERT_TRUE(result);
  EXPECT_EQ(*result, "done");
}

}  // namespace
}  // namespace eventstore
