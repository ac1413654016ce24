// A retried append (same ids, same payloads) is written once and answered
// with the original result; an id can never be given to a second event.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "event_factory.hpp"
#include "sql_session.hpp"
#include "test_database.hpp"

namespace eventstore {
namespace {

using namespace testing_support;

class IdempotencyTest : public ClientTest {
 protected:
  void SetUp() override {
    ClientTest::SetUp();
    if (HasFatalFailure()) return;
    stream_ = stream("retry");
  }

  StreamName stream_ = stream_name("placeholder");
};

TEST_F(IdempotencyTest, RepeatedAppendReturnsTheOriginalResultAndWritesNothing) {
  std::vector<EventData> events = make_events(3, "Happened", R"({"attempt": 1})");
  auto original = client().append(stream_, ExpectedVersion::no_stream(), events);
  ASSERT_TRUE(original) << original.error().describe();
  long long events_after_first = sql().count("eventstore.events");

  // The same call again, as after a reply lost on the way back.
  auto repeated = client().append(stream_, ExpectedVersion::no_stream(), events);
  ASSERT_TRUE(repeated) << repeated.error().describe();
  EXPECT_EQ(*repeated, *original);
  EXPECT_EQ(sql().count("eventstore.events"), events_after_first);

  // Still recognised after the stream has moved on.
  ASSERT_TRUE(client().append(stream_, ExpectedVersion::any(), make_events(2)));
  auto late_repeat = client().append(stream_, ExpectedVersion::no_stream(), events);
  ASSERT_TRUE(late_repeat) << late_repeat.error().describe();
  EXPECT_EQ(*late_repeat, *original);
  auto version = client().stream_version(stream_);
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, StreamVersion{4});
}

TEST_F(IdempotencyTest, SameIdWithAnotherPayloadIsEventIdReused) {
  EventData event = EventData::create("Happened", R"({"amount": 1})");
  ASSERT_TRUE(client().append(stream_, ExpectedVersion::no_stream(), event));
  long long before = sql().count("eventstore.events");

  for (EventData changed :
       {EventData{event.id, event.type, R"({"amount": 2})"}, EventData{event.id, "OtherType", event.data},
        EventData{event.id, event.type, event.data, R"({"trace": "x"})"}}) {
    auto reused = client().append(stream_, ExpectedVersion::any(), changed);
    ASSERT_FALSE(reused);
    EXPECT_EQ(reused.error().code(), ErrorCode::event_id_reused) << reused.error().describe();
    EXPECT_EQ(reused.error().sqlstate(), "23V02");
    EXPECT_NE(reused.error().message().find(event.id.to_string()), std::string::npos);
  }
  EXPECT_EQ(sql().count("eventstore.events"), before);
}

TEST_F(IdempotencyTest, SameIdInAnotherStreamIsEventIdReused) {
  EventData event = EventData::create("Happened", "{}");
  ASSERT_TRUE(client().append(stream_, ExpectedVersion::no_stream(), event));
  long long before = sql().count("eventstore.events");
  auto reused = client().append(stream_name("retry" + unique_token() + "-2"), ExpectedVersion::any(), event);
  ASSERT_FALSE(reused);
  EXPECT_EQ(reused.error().code(), ErrorCode::event_id_reused) << reused.error().describe();
  EXPECT_EQ(sql().count("eventstore.events"), before);
}

TEST_F(IdempotencyTest, PartOfAnEarlierAppendIsNotARepeat) {
  std::vector<EventData> events = make_events(2);
  ASSERT_TRUE(client().append(stream_, ExpectedVersion::no_stream(), events));
  long long before = sql().count("eventstore.events");
  std::vector<EventData> overlapping = {events[1], EventData::create("Happened", "{}")};
  auto reused = client().append(stream_, ExpectedVersion::any(), overlapping);
  ASSERT_FALSE(reused);
  EXPECT_EQ(reused.error().code(), ErrorCode::event_id_reused) << reused.error().describe();
  EXPECT_EQ(sql().count("eventstore.events"), before);
}

TEST_F(IdempotencyTest, ConcurrentAppendsOfOneNewIdToTwoStreamsWriteItOnce) {
  // An open transaction holds the id; a second append of the same id to
  // another stream waits on the unique index and then fails.
  EventData event = EventData::create("Happened", "{}");
  SqlSession holder{test_dsn()};
  ASSERT_TRUE(holder.execute("BEGIN"));
  ASSERT_TRUE(holder.execute("SELECT eventstore.append('retry" + unique_token() +
                             "-held', -2, ARRAY[eventstore.event('Happened', '{}', NULL, '" + event.id.to_string() +
                             "')])"))
      << holder.last_error();
  std::string application_name = "idempotency" + unique_token();
  auto contender = Client::connect(test_dsn() + " application_name=" + application_name);
  ASSERT_TRUE(contender) << contender.error().describe();
  auto outcome =
      std::async(std::launch::async, [&] { return contender->append(stream_, ExpectedVersion::any(), event); });

  // Commit only once the contender waits for the holder's transaction.
  bool waiting = false;
  for (int i = 0; i < 200 && !waiting; ++i) {
    auto state = sql().query_value("SELECT wait_event_type FROM pg_stat_activity WHERE application_name = '" +
                                   application_name + "'");
    waiting = state == "Lock";
    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds{25});
  }
  EXPECT_TRUE(waiting);
  ASSERT_TRUE(holder.execute("COMMIT"));
  auto result = outcome.get();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::event_id_reused) << result.error().describe();
  EXPECT_EQ(result.error().sqlstate(), "23505");
  EXPECT_EQ(sql().query_value("SELECT count(*) FROM eventstore.events WHERE event_id = '" + event.id.to_string() + "'"),
            "1");
}

}  // namespace
}  // namespace eventstore
