// Projections against the real server: a read model built from history and
// kept live, a handler failure that leaves nothing of its event behind,
// effects held back while a version replays, progress, and a blue/green
// switch under readers that never fail.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "backends.hpp"
#include "eventstore/projections.hpp"
#include "test_database.hpp"

namespace eventstore::testing_support {
namespace {

using namespace std::chrono_literals;

class ProjectionTest : public ClientTest {
 protected:
  void append(const StreamName& stream, int amount, const std::string& type = "Deposited") {
    auto appended = client().append(stream, ExpectedVersion::any(),
                                    EventData::create(type, "{\"amount\": " + std::to_string(amount) + "}"));
    ASSERT_TRUE(appended) << appended.error().describe();
  }

  // Totals per account; version 2 also counts the events.
  ProjectionDefinition totals(int version, std::atomic<int>* effects = nullptr) {
    ProjectionDefinition definition;
    definition.name = "totals_" + token();
    definition.version = version;
    definition.source = SubscriptionSource::of_category("acct" + token());
    definition.tables = {"totals"};
    definition.create_sql = version == 1
                                ? "CREATE TABLE {schema}.totals (stream_name text PRIMARY KEY, total bigint NOT NULL)"
                                : "CREATE TABLE {schema}.totals (stream_name text PRIMARY KEY, total bigint NOT NULL, "
                                  "events bigint NOT NULL)";
    definition.handle = [version, effects](const RecordedEvent& event, ProjectionContext& context) -> HandlerResult {
      if (event.type == "Poison") return std::unexpected(std::string{"poison"});
      std::string sql = version == 1 ? "INSERT INTO " + context.table("totals") +
                                           " AS t VALUES ($1, ($2::jsonb->>'amount')::bigint) ON CONFLICT "
                                           "(stream_name) DO UPDATE SET total = t.total + excluded.total"
                                     : "INSERT INTO " + context.table("totals") +
                                           " AS t VALUES ($1, ($2::jsonb->>'amount')::bigint, 1) ON CONFLICT "
                                           "(stream_name) DO UPDATE SET total = t.total + excluded.total, events = "
                                           "t.events + 1";
      auto written = context.sql().execute(sql, {event.stream.value(), event.data});
      if (!written) return std::unexpected(written.error().describe());
      if (effects != nullptr) context.after_commit([effects] { ++*effects; });
      return {};
    };
    return definition;
  }

  static ProjectionOptions quick() {
    ProjectionOptions options;
    options.subscription.lease = 3s;
    options.subscription.join_interval = 100ms;
    options.subscription.wait_timeout = 200ms;
    options.subscription.retry_backoff = 1ms;
    options.subscription.max_retry_backoff = 4ms;
    options.subscription.max_attempts = 2;
    return options;
  }

  std::string total_of(const std::string& schema, const StreamName& stream) {
    return sql()
        .query_value("SELECT total FROM \"" + schema + "\".totals WHERE stream_name = '" + stream.value() + "'")
        .value_or("none");
  }
};

TEST_F(ProjectionTest, BuildsFromHistoryAndFollowsLive) {
  auto a = stream("acct", "a"), b = stream("acct", "b");
  append(a, 10);
  append(a, 5);
  append(b, 7);
  auto runner = ProjectionRunner::start(client(), test_dsn(), totals(1), quick());
  ASSERT_TRUE(runner) << runner.error().describe();
  ASSERT_TRUE((*runner)->wait_until_caught_up(20s));
  EXPECT_EQ(total_of((*runner)->schema(), a), "15");
  EXPECT_EQ(total_of((*runner)->schema(), b), "7");
  append(b, 100);
  ASSERT_TRUE(eventually([&] { return total_of((*runner)->schema(), b) == "107"; }));
  auto status = (*runner)->status();
  ASSERT_TRUE(status) << status.error().describe();
  EXPECT_EQ(status->events_handled, 4);
  EXPECT_EQ(status->events_behind, 0);
  EXPECT_FALSE(status->replaying);
}

TEST_F(ProjectionTest, AFailingEventLeavesNothingBehindAndIsParked) {
  auto a = stream("acct", "a");
  append(a, 1);
  append(a, 1000, "Poison");
  append(a, 2);
  auto runner = ProjectionRunner::start(client(), test_dsn(), totals(1), quick());
  ASSERT_TRUE(runner);
  ASSERT_TRUE((*runner)->wait_until_caught_up(20s));
  EXPECT_EQ(total_of((*runner)->schema(), a), "3");
  auto parked = client().parked_events("projection." + std::string{"totals_"} + token() + ".v1");
  ASSERT_TRUE(parked);
  ASSERT_EQ(parked->size(), 1u);
  EXPECT_EQ(parked->front().event_type, "Poison");
}

TEST_F(ProjectionTest, HoldsEffectsBackWhileReplaying) {
  auto a = stream("acct", "a");
  for (int i = 0; i < 5; ++i) append(a, 1);
  std::atomic<int> effects{0};
  auto runner = ProjectionRunner::start(client(), test_dsn(), totals(1, &effects), quick());
  ASSERT_TRUE(runner);
  ASSERT_TRUE((*runner)->wait_until_caught_up(20s));
  EXPECT_EQ(effects, 0) << "history is replayed without effects";
  append(a, 1);
  append(a, 1);
  ASSERT_TRUE(eventually([&] { return effects == 2; })) << effects;
}

TEST_F(ProjectionTest, ANewVersionRebuildsWhileTheOldServesAndTheSwitchFailsNoQuery) {
  for (int account = 0; account < 20; ++account)
    for (int i = 0; i < 10; ++i) append(stream("acct", std::to_string(account)), i);
  auto v1 = ProjectionRunner::start(client(), test_dsn(), totals(1), quick());
  ASSERT_TRUE(v1);
  ASSERT_TRUE((*v1)->wait_until_caught_up(30s));
  ASSERT_TRUE((*v1)->promote());
  const std::string served = "\"totals_" + token() + "\".totals";

  // Readers query the served view all along; writers keep appending.
  std::atomic<bool> done{false};
  std::atomic<long long> queries{0}, failures{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r)
    readers.emplace_back([&] {
      SqlSession reader{test_dsn()};
      while (!done) {
        if (reader.query_value("SELECT count(*) FROM " + served))
          ++queries;
        else
          ++failures;
      }
    });
  std::thread writer([&] {
    for (int i = 0; i < 50 && !done; ++i) append(stream("acct", std::to_string(i % 20)), 1);
  });

  auto v2 = ProjectionRunner::start(client(), test_dsn(), totals(2), quick());
  ASSERT_TRUE(v2);
  auto status = (*v2)->status();
  ASSERT_TRUE(status);
  EXPECT_EQ(status->served_version, 1);
  writer.join();
  ASSERT_TRUE((*v2)->wait_until_caught_up(30s));
  ASSERT_TRUE((*v2)->promote());
  std::this_thread::sleep_for(200ms);
  done = true;
  for (auto& reader : readers) reader.join();
  EXPECT_GT(queries, 0);
  EXPECT_EQ(failures, 0);
  status = (*v2)->status();
  ASSERT_TRUE(status);
  EXPECT_EQ(status->served_version, 2);
  // The served view now has version 2's columns, and both versions agree.
  EXPECT_EQ(sql().query_value("SELECT sum(events) FROM " + served), "250");
  EXPECT_EQ(sql().query_value("SELECT sum(total) FROM " + served),
            sql().query_value("SELECT sum(total) FROM \"" + (*v1)->schema() + "\".totals"));
}

TEST_F(ProjectionTest, RefusesBadDefinitions) {
  auto definition = totals(1);
  definition.name = "Bad-Name";
  auto refused = ProjectionRunner::start(client(), test_dsn(), definition, quick());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::invalid_argument);
  definition = totals(1);
  definition.create_sql = "CREATE TABLE {schema}.totals (oops";
  refused = ProjectionRunner::start(client(), test_dsn(), definition, quick());
  ASSERT_FALSE(refused);
}

}  // namespace
}  // namespace eventstore::testing_support
