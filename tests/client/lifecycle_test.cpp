// The stream lifecycle through the Client, where the server alone can show
// it: max_age against the server's clock, intervals as the server stores
// them, rows that bad calls leave untouched, privileges. (What every store
// shares is in the conformance suite, run against the server too.)
#include <gtest/gtest.h>

#include <chrono>

#include "event_factory.hpp"
#include "sql_session.hpp"
#include "test_database.hpp"

namespace eventstore {
namespace {

using namespace testing_support;
using namespace std::chrono_literals;

class LifecycleTest : public ClientTest {
 protected:
  std::vector<std::int64_t> versions(const StreamName& name) {
    auto page = client().read_stream(name);
    EXPECT_TRUE(page) << page.error().describe();
    std::vector<std::int64_t> versions;
    if (page)
      for (const RecordedEvent& event : *page) versions.push_back(event.version.value());
    return versions;
  }

  std::string stream_row(const StreamName& name) {
    return sql()
        .query_value(
            "SELECT row(version, deleted, tombstoned, truncate_before, max_count, max_age)::text "
            "FROM eventstore.streams WHERE stream_name = '" +
            name.value() + "'")
        .value_or("<none>");
  }
};

TEST_F(LifecycleTest, MaxAgeHidesEventsOlderThanTheServersClockSays) {
  auto sensor = stream("sensor");
  ASSERT_TRUE(client().append(sensor, ExpectedVersion::no_stream(), make_events(5)));
  // Three of them were appended two days ago.
  ASSERT_TRUE(
      sql().execute("UPDATE eventstore.events SET created_at = created_at - interval '2 days' "
                    "WHERE stream_id = (SELECT stream_id FROM eventstore.streams WHERE stream_name = '" +
                    sensor.value() + "') AND version < 3"))
      << sql().last_error();
  ASSERT_TRUE(client().set_stream_limits(sensor, {.max_age = 24h}));
  EXPECT_EQ(versions(sensor), (std::vector<std::int64_t>{3, 4}));
  auto loaded = client().load(sensor);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->events.size(), 2u);
  auto category = client().read_category("sensor" + token(), std::nullopt, 100);
  ASSERT_TRUE(category);
  EXPECT_EQ(category->size(), 2u);

  auto reclaimed = client().reclaim();
  ASSERT_TRUE(reclaimed) << reclaimed.error().describe();
  EXPECT_GE(*reclaimed, 3);
  EXPECT_EQ(sql().count("eventstore.events e JOIN eventstore.streams s USING (stream_id) WHERE s.stream_name = '" +
                        sensor.value() + "'"),
            2);
  EXPECT_EQ(versions(sensor), (std::vector<std::int64_t>{3, 4}));
}

TEST_F(LifecycleTest, StreamStateReadsTheServersIntervalsAndTimes) {
  auto sensor = stream("sensor");
  auto before = std::chrono::system_clock::now();
  ASSERT_TRUE(client().append(sensor, ExpectedVersion::no_stream(), make_events(1)));
  ASSERT_TRUE(client().set_stream_limits(sensor, {.max_count = 10, .max_age = 90min}));
  auto state = client().stream_state(sensor);
  ASSERT_TRUE(state) << state.error().describe();
  ASSERT_TRUE(*state);
  EXPECT_EQ((*state)->limits.max_count, 10);
  EXPECT_EQ((*state)->limits.max_age, std::chrono::microseconds{90min});
  EXPECT_EQ((*state)->version, StreamVersion{0});
  EXPECT_LE(std::chrono::abs((*state)->created_at - std::chrono::floor<std::chrono::microseconds>(before)), 60s);
  // Days and months as the server keeps them (a month counts 30 days).
  ASSERT_TRUE(sql().execute("SELECT eventstore.set_stream_limits('" + sensor.value() +
                            "', max_age => interval '1 mon 2 days 3 hours')"))
      << sql().last_error();
  auto months = client().stream_state(sensor);
  ASSERT_TRUE(months && *months);
  EXPECT_EQ((*months)->limits.max_age, std::chrono::microseconds{24h * 32 + 3h});
  EXPECT_EQ((*months)->limits.max_count, std::nullopt);
}

TEST_F(LifecycleTest, RefusedCallsLeaveTheStreamsRowAsItWas) {
  auto cart = stream("cart");
  ASSERT_TRUE(client().append(cart, ExpectedVersion::no_stream(), make_events(3)));
  ASSERT_TRUE(client().truncate_stream(cart, StreamVersion{1}));
  const std::string row = stream_row(cart);
  const long long events = sql().count("eventstore.events");
  const long long snapshots = sql().count("eventstore.snapshots");

  EXPECT_EQ(client().delete_stream(cart, ExpectedVersion::exactly(StreamVersion{0})).error().code(),
            ErrorCode::wrong_expected_version);
  EXPECT_EQ(client().tombstone_stream(cart, ExpectedVersion::no_stream()).error().code(),
            ErrorCode::wrong_expected_version);
  EXPECT_EQ(client().delete_stream(cart, ExpectedVersion::exactly(StreamVersion{-7})).error().code(),
            ErrorCode::invalid_expected_version);
  EXPECT_EQ(client().truncate_stream(cart, StreamVersion{-1}).error().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(client().set_stream_limits(cart, {.max_count = -5}).error().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(client().set_stream_limits(cart, {.max_count = 5, .max_age = -1s}).error().code(),
            ErrorCode::invalid_argument);
  EXPECT_EQ(client().save_snapshot(cart, StreamVersion{0}, "{}").error().code(), ErrorCode::invalid_snapshot);
  EXPECT_EQ(client().save_snapshot(cart, StreamVersion{2}, "[1,").error().code(), ErrorCode::invalid_json);
  EXPECT_EQ(client().truncate_stream(stream("missing"), StreamVersion{1}).error().code(), ErrorCode::stream_not_found);
  EXPECT_EQ(client().reclaim(-1).error().code(), ErrorCode::invalid_argument);

  EXPECT_EQ(stream_row(cart), row);
  EXPECT_EQ(sql().count("eventstore.events"), events);
  EXPECT_EQ(sql().count("eventstore.snapshots"), snapshots);
  EXPECT_EQ(stream_row(stream("missing")), "<none>");
}

TEST_F(LifecycleTest, WithoutTheAdminRoleATombstoneIsRefused) {
  auto cart = stream("cart");
  ASSERT_TRUE(client().append(cart, ExpectedVersion::no_stream(), make_events(1)));
  const std::string role = "writer_" + token();
  ASSERT_TRUE(sql().execute("CREATE ROLE " + role + " LOGIN IN ROLE eventstore_writer")) << sql().last_error();
  auto writer = Client::connect(test_dsn() + " user=" + role);
  ASSERT_TRUE(writer) << writer.error().describe();
  auto refused = writer->tombstone_stream(cart);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::server_error);
  EXPECT_EQ(refused.error().sqlstate(), "42501");
  EXPECT_FALSE(refused.error().retryable());
  auto deleted = writer->delete_stream(cart);
  EXPECT_TRUE(deleted) << deleted.error().describe();
  writer = std::unexpected(Error{ErrorCode::invalid_argument, "closed"});
  EXPECT_TRUE(sql().execute("DROP ROLE " + role)) << sql().last_error();
}

TEST_F(LifecycleTest, PipelinedAppendsToATombstonedStreamFailAlone) {
  auto pipelined = Client::connect(test_dsn(), {.pipelined_appends = true});
  ASSERT_TRUE(pipelined) << pipelined.error().describe();
  auto gone = stream("gone");
  auto alive = stream("alive");
  ASSERT_TRUE(client().tombstone_stream(gone));
  auto refused = pipelined->append(gone, ExpectedVersion::any(), make_events(1));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::stream_deleted);
  EXPECT_EQ(refused.error().sqlstate(), "23V03");
  EXPECT_TRUE(pipelined->append(alive, ExpectedVersion::no_stream(), make_events(1)));
  EXPECT_EQ(sql().count("eventstore.events e JOIN eventstore.streams s USING (stream_id) WHERE s.stream_name = '" +
                        gone.value() + "'"),
            0);
}

TEST_F(LifecycleTest, TheDeadlineBoundsLifecycleCalls) {
  auto cart = stream("cart");
  ASSERT_TRUE(client().append(cart, ExpectedVersion::no_stream(), make_events(1)));
  DeadlineScope passed{Deadline::clock::now() - 1ms};
  for (ErrorCode code : {client().delete_stream(cart).error().code(), client().stream_state(cart).error().code(),
                         client().reclaim().error().code(), client().stats().error().code()})
    EXPECT_EQ(code, ErrorCode::timeout);
}

}  // namespace
}  // namespace eventstore
