// Appends with every expected-version mode, and what reads return afterwards.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "event_factory.hpp"
#include "sql_session.hpp"
#include "test_database.hpp"

namespace eventstore {
namespace {

using namespace testing_support;

class AppendTest : public ClientTest {
 protected:
  void SetUp() override {
    ClientTest::SetUp();
    if (HasFatalFailure()) return;
    stream_ = stream("append");
  }

  // The append fails with wrong_expected_version, naming `actual`, and writes nothing.
  void expect_wrong_expected_version(ExpectedVersion expected, StreamVersion actual) {
    long long before = sql().count("eventstore.events");
    auto result = client().append(stream_, expected, EventData::create("Rejected", "{}"));
    ASSERT_FALSE(result) << "expected " << expected.value() << " should have been refused";
    EXPECT_EQ(result.error().code(), ErrorCode::wrong_expected_version) << result.error().describe();
    EXPECT_EQ(result.error().sqlstate(), "23V01");
    EXPECT_EQ(result.error().actual_version(), actual);
    EXPECT_FALSE(result.error().retryable());
    EXPECT_EQ(sql().count("eventstore.events"), before);
  }

  StreamName stream_ = stream_name("placeholder");
};

TEST_F(AppendTest, NoStreamCreatesTheStreamOnce) {
  auto first = client().append(stream_, ExpectedVersion::no_stream(), EventData::create("Created", "{}"));
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->next_expected_version, StreamVersion{0});
  EXPECT_EQ(first->first_position, first->last_position);
  expect_wrong_expected_version(ExpectedVersion::no_stream(), StreamVersion{0});
}

TEST_F(AppendTest, AnyAppendsInEveryState) {
  auto created = client().append(stream_, ExpectedVersion::any(), EventData::create("Created", "{}"));
  ASSERT_TRUE(created) << created.error().describe();
  EXPECT_EQ(created->next_expected_version, StreamVersion{0});
  auto appended = client().append(stream_, ExpectedVersion::any(), EventData::create("Updated", "{}"));
  ASSERT_TRUE(appended) << appended.error().describe();
  EXPECT_EQ(appended->next_expected_version, StreamVersion{1});
}

TEST_F(AppendTest, StreamExistsNeedsAnExistingStream) {
  expect_wrong_expected_version(ExpectedVersion::stream_exists(), StreamVersion::no_stream());
  ASSERT_TRUE(client().append(stream_, ExpectedVersion::no_stream(), EventData::create("Created", "{}")));
  auto appended = client().append(stream_, ExpectedVersion::stream_exists(), EventData::create("Updated", "{}"));
  ASSERT_TRUE(appended) << appended.error().describe();
  EXPECT_EQ(appended->next_expected_version, StreamVersion{1});
}

TEST_F(AppendTest, ExactlyNeedsThatVersion) {
  expect_wrong_expected_version(ExpectedVersion::exactly(StreamVersion{0}), StreamVersion::no_stream());
  auto created = client().append(stream_, ExpectedVersion::exactly(StreamVersion::no_stream()),
                                 EventData::create("Created", "{}"));
  ASSERT_TRUE(created) << created.error().describe();
  auto second =
      client().append(stream_, ExpectedVersion::exactly(StreamVersion{0}), EventData::create("Updated", "{}"));
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_EQ(second->next_expected_version, StreamVersion{1});
  expect_wrong_expected_version(ExpectedVersion::exactly(StreamVersion{0}), StreamVersion{1});
  expect_wrong_expected_version(ExpectedVersion::exactly(StreamVersion{5}), StreamVersion{1});
  expect_wrong_expected_version(ExpectedVersion::no_stream(), StreamVersion{1});
  auto third = client().append(stream_, ExpectedVersion::exactly(second->next_expected_version),
                               EventData::create("Updated", "{}"));
  ASSERT_TRUE(third) << third.error().describe();
  EXPECT_EQ(third->next_expected_version, StreamVersion{2});
}

TEST_F(AppendTest, ManyEventsAreOneAtomicAppendInOrder) {
  std::vector<EventData> events = {
      EventData::create("Created", R"({"name": "first"})"),
      EventData::create("Renamed", R"({"name":"second",  "by": {"user": 7}})", R"({"trace":"t-1"})"),
      EventData::create("Closed", "[1, 2, 3]"),
  };
  auto appended = client().append(stream_, ExpectedVersion::no_stream(), events);
  ASSERT_TRUE(appended) << appended.error().describe();
  EXPECT_EQ(appended->next_expected_version, StreamVersion{2});
  EXPECT_EQ(appended->last_position.value() - appended->first_position.value(), 2);

  auto read = client().read_stream(stream_);
  ASSERT_TRUE(read) << read.error().describe();
  ASSERT_EQ(read->size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const RecordedEvent& event = (*read)[i];
    EXPECT_EQ(event.stream, stream_);
    EXPECT_EQ(event.version, StreamVersion{static_cast<std::int64_t>(i)});
    EXPECT_EQ(event.id, events[i].id);
    EXPECT_EQ(event.type, events[i].type);
    EXPECT_EQ(event.log_position.position.value(), appended->first_position.value() + static_cast<std::int64_t>(i));
    EXPECT_EQ(event.log_position.transaction_id, (*read)[0].log_position.transaction_id);  // one transaction
  }
  // jsonb prints JSON its own way: keys sorted by length then bytes, one space after ':' and ','.
  EXPECT_EQ((*read)[0].data, R"({"name": "first"})");
  EXPECT_EQ((*read)[1].data, R"({"by": {"user": 7}, "name": "second"})");
  EXPECT_EQ((*read)[2].data, "[1, 2, 3]");
  EXPECT_EQ((*read)[0].metadata, "");
  EXPECT_EQ((*read)[1].metadata, R"({"trace": "t-1"})");
  auto now = std::chrono::system_clock::now();
  EXPECT_LT(std::chrono::abs(now - (*read)[0].created_at), std::chrono::minutes{5});
}

TEST_F(AppendTest, StreamVersionFollowsAppends) {
  auto missing = client().stream_version(stream_);
  ASSERT_TRUE(missing) << missing.error().describe();
  EXPECT_EQ(*missing, StreamVersion::no_stream());
  ASSERT_TRUE(client().append(stream_, ExpectedVersion::any(), make_events(5)));
  auto version = client().stream_version(stream_);
  ASSERT_TRUE(version) << version.error().describe();
  EXPECT_EQ(*version, StreamVersion{4});
}

TEST_F(AppendTest, PositionsIncreaseAcrossAppends) {
  auto first = client().append(stream_, ExpectedVersion::any(), make_events(2));
  auto second = client().append(stream_, ExpectedVersion::any(), make_events(2));
  ASSERT_TRUE(first && second);
  EXPECT_LT(first->last_position, second->first_position);
}

TEST_F(AppendTest, HostileStringsRoundTripVerbatim) {
  auto hostile_stream = stream_name(R"(hostile)" + unique_token() + R"(-it's "quoted", {braced} \back\ NULL ü€😀)");
  const std::vector<std::string> types = {
      "\"", "\\", "{", "}", ",", "NULL", "null", "'; DROP TABLE x; --", "a,b{c}\"d\\e", "ü€😀", " spaced "};
  std::vector<EventData> events;
  for (const std::string& type : types)
    events.push_back(EventData::create(type, R"({"text": "\"\\{},NULL ü€😀"})", R"({"note": "NULL"})"));
  events.push_back(EventData::create("NullMetadataText", "\"NULL\"", "null"));
  auto appended = client().append(hostile_stream, ExpectedVersion::no_stream(), events);
  ASSERT_TRUE(appended) << appended.error().describe();

  auto read = client().read_stream(hostile_stream);
  ASSERT_TRUE(read) << read.error().describe();
  ASSERT_EQ(read->size(), events.size());
  for (std::size_t i = 0; i < types.size(); ++i) {
    EXPECT_EQ((*read)[i].stream, hostile_stream);
    EXPECT_EQ((*read)[i].type, types[i]);
    EXPECT_EQ((*read)[i].data, R"({"text": "\"\\{},NULL ü€😀"})");
    EXPECT_EQ((*read)[i].metadata, R"({"note": "NULL"})");
  }
  // The JSON value null is metadata (not SQL NULL); the JSON string "NULL" is data.
  EXPECT_EQ(read->back().data, "\"NULL\"");
  EXPECT_EQ(read->back().metadata, "null");
  auto sql_null_metadata = sql().query_value(
      "SELECT count(*) FROM eventstore.events WHERE metadata IS NULL AND "
      "event_id = '" +
      events.back().id.to_string() + "'");
  EXPECT_EQ(sql_null_metadata, "0");
}

TEST_F(AppendTest, ConcurrentAppendsWithOneExpectedVersionHaveOneWinner) {
  ASSERT_TRUE(client().append(stream_, ExpectedVersion::no_stream(), EventData::create("Created", "{}")));
  constexpr int writers = 4;
  std::vector<std::optional<Result<AppendResult>>> outcomes(writers);
  std::atomic<int> ready = 0;
  {
    std::vector<std::jthread> threads;
    for (int w = 0; w < writers; ++w)
      threads.emplace_back([&, w] {
        auto writer = Client::connect(test_dsn());
        if (!writer) {
          outcomes[w] = std::unexpected(writer.error());
          return;
        }
        ++ready;
        while (ready.load() < writers) std::this_thread::yield();
        outcomes[w] = writer->append(stream_, ExpectedVersion::exactly(StreamVersion{0}), make_events(3));
      });
  }
  int winners = 0;
  for (const auto& outcome : outcomes) {
    ASSERT_TRUE(outcome.has_value());
    if (outcome->has_value()) {
      ++winners;
      EXPECT_EQ((*outcome)->next_expected_version, StreamVersion{3});
    } else {
      EXPECT_EQ(outcome->error().code(), ErrorCode::wrong_expected_version) << outcome->error().describe();
      EXPECT_EQ(outcome->error().actual_version(), StreamVersion{3});
    }
  }
  EXPECT_EQ(winners, 1);
  auto version = client().stream_version(stream_);
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, StreamVersion{3});
}

}  // namespace
}  // namespace eventstore
