// The operators' calls: stats(), category_stats(), event_type_stats().
#include <gtest/gtest.h>

#include <algorithm>

#include "event_factory.hpp"
#include "sql_session.hpp"
#include "test_database.hpp"

namespace eventstore {
namespace {

using namespace testing_support;

class StatisticsTest : public ClientTest {};

TEST_F(StatisticsTest, StatsCountWhatIsStoredAndWhatHoldsReadersBack) {
  auto before = client().stats();
  ASSERT_TRUE(before) << before.error().describe();
  auto stream = stream_name("stats" + token() + "-1");
  ASSERT_TRUE(client().append(stream, ExpectedVersion::no_stream(), make_events(3)));
  ASSERT_TRUE(client().save_snapshot(stream, StreamVersion{2}, "{}"));
  auto after = client().stats();
  ASSERT_TRUE(after) << after.error().describe();
  EXPECT_EQ(after->streams, before->streams + 1);
  EXPECT_EQ(after->events, before->events + 3);
  EXPECT_EQ(after->snapshots, before->snapshots + 1);
  EXPECT_EQ(after->streams, sql().count("eventstore.streams"));
  EXPECT_GT(after->bytes, 0);
  EXPECT_GE(after->log_fence, before->log_fence);
  // The test cluster preloads the library, so the counters are kept.
  ASSERT_TRUE(after->appends_since_start && before->appends_since_start);
  EXPECT_GE(*after->appends_since_start, *before->appends_since_start + 1);
  EXPECT_GE(*after->events_appended_since_start, *before->events_appended_since_start + 3);
  ASSERT_TRUE(after->conflicts_since_start);

  EXPECT_EQ(after->log_fence_source, "appenders");

  // An append in flight elsewhere in this database is what holds readers back;
  // a transaction that wrote something else does not.
  SqlSession idle_writer{test_dsn()};
  ASSERT_TRUE(idle_writer.execute("BEGIN")) << idle_writer.last_error();
  ASSERT_TRUE(idle_writer.query_value("SELECT pg_current_xact_id()::text"));
  SqlSession holder{test_dsn()};
  ASSERT_TRUE(holder.execute("BEGIN")) << holder.last_error();
  auto pid = holder.query_value("SELECT pg_backend_pid()::text");
  ASSERT_TRUE(holder.query_value("SELECT (eventstore.append('" + stream_name("held-1").value() +
                                 "', -2, ARRAY[eventstore.event('Held', '{}')])).next_expected_version::text"))
      << holder.last_error();
  auto held = client().stats();
  ASSERT_TRUE(held) << held.error().describe();
  ASSERT_TRUE(held->oldest_transaction_pid);
  EXPECT_EQ(std::to_string(*held->oldest_transaction_pid), pid.value_or("?"));
  EXPECT_EQ(held->fence_held_by, "append");
  EXPECT_FALSE(held->fence_holder_gid);
  ASSERT_TRUE(held->oldest_transaction_age);
  EXPECT_GE(held->oldest_transaction_age->count(), 0);
  ASSERT_TRUE(holder.execute("ROLLBACK"));
  ASSERT_TRUE(idle_writer.execute("ROLLBACK"));
}

TEST_F(StatisticsTest, CategoryAndEventTypeStatisticsHaveARowEach) {
  const std::string category = "statcat" + token();
  const std::string type = "Counted" + token();
  ASSERT_TRUE(client().append(stream_name(category + "-1"), ExpectedVersion::no_stream(), make_events(2, type)));
  ASSERT_TRUE(client().append(stream_name(category + "-2"), ExpectedVersion::no_stream(), make_events(1, type)));

  auto categories = client().category_stats();
  ASSERT_TRUE(categories) << categories.error().describe();
  auto found = std::find_if(categories->begin(), categories->end(),
                            [&](const CategoryStatistics& row) { return row.category == category; });
  ASSERT_NE(found, categories->end());
  EXPECT_EQ(found->streams, 2);
  EXPECT_EQ(found->events, 3);
  EXPECT_TRUE(found->last_appended_at);
  EXPECT_TRUE(std::is_sorted(categories->begin(), categories->end(),
                             [](const auto& left, const auto& right) { return left.category < right.category; }));

  auto types = client().event_type_stats();
  ASSERT_TRUE(types) << types.error().describe();
  auto counted = std::find_if(types->begin(), types->end(),
                              [&](const EventTypeStatistics& row) { return row.event_type == type; });
  ASSERT_NE(counted, types->end());
  EXPECT_EQ(counted->events, 3);
  EXPECT_GT(counted->payload_bytes, 0);
  EXPECT_EQ(counted->last_appended_at, found->last_appended_at.value());
}

TEST_F(StatisticsTest, StatsNeedTheAdminRole) {
  const std::string role = "reader_" + token();
  ASSERT_TRUE(sql().execute("CREATE ROLE " + role + " LOGIN IN ROLE eventstore_reader")) << sql().last_error();
  {
    auto reader = Client::connect(test_dsn() + " user=" + role);
    ASSERT_TRUE(reader) << reader.error().describe();
    auto refused = reader->stats();
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().sqlstate(), "42501");
    EXPECT_EQ(refused.error().code(), ErrorCode::server_error);
    auto categories = reader->category_stats();
    EXPECT_TRUE(categories) << categories.error().describe();
  }
  EXPECT_TRUE(sql().execute("DROP ROLE " + role)) << sql().last_error();
}

}  // namespace
}  // namespace eventstore
