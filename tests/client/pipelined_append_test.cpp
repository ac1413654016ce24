// Pipelined appends: concurrent callers share batches, each gets the reply to
// its own append (a failing append fails alone), every acknowledged event is
// stored exactly once, and under connection loss nothing unacknowledged is
// reported as appended.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "backends.hpp"
#include "event_factory.hpp"
#include "sql_session.hpp"
#include "test_database.hpp"

namespace eventstore {
namespace {

using namespace testing_support;
using namespace std::chrono_literals;

class PipelinedAppendTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    application_name_ = "pipeline" + unique_token();
    prefix_ = "piped" + unique_token();
  }

  std::optional<Client> connect(ClientOptions options) {
    options.pipelined_appends = true;
    auto client = Client::connect(test_dsn() + " application_name=" + application_name_, options);
    if (!client) {
      ADD_FAILURE() << "cannot connect: " << client.error().describe();
      return std::nullopt;
    }
    return std::move(*client);
  }

  // Every stored event of the test's streams: event id -> how many times.
  std::map<std::string, int> stored_event_ids() {
    std::map<std::string, int> stored;
    PGconn* connection = PQconnectdb(test_dsn().c_str());
    std::string sql =
        "SELECT e.event_id::text FROM eventstore.events e JOIN eventstore.streams s USING (stream_id) "
        "WHERE s.stream_name LIKE '" +
        prefix_ + "-%'";
    PGresult* result = PQexec(connection, sql.c_str());
    EXPECT_EQ(PQresultStatus(result), PGRES_TUPLES_OK) << PQerrorMessage(connection);
    for (int row = 0; row < PQntuples(result); ++row) ++stored[PQgetvalue(result, row, 0)];
    PQclear(result);
    PQfinish(connection);
    return stored;
  }

  std::string application_name_;
  std::string prefix_;
  SqlSession admin_{test_dsn()};
};

TEST_F(PipelinedAppendTest, SixteenThreadsEachGetTheirOwnResultAndAreStoredOnce) {
  auto connected = connect({.pool = {.max_size = 4}, .pipeline_connections = 2});
  ASSERT_TRUE(connected);
  Client& client = *connected;
  constexpr int threads = 16;
  constexpr int appends_per_thread = 40;
  std::mutex results_mutex;
  std::set<std::string> acknowledged;
  std::set<std::string> refused;
  std::atomic<int> wrong_outcomes = 0;

  std::vector<std::thread> writers;
  for (int thread = 0; thread < threads; ++thread)
    writers.emplace_back([&, thread] {
      StreamName stream = stream_name(prefix_ + "-" + std::to_string(thread));
      std::int64_t version = -1;
      for (int i = 0; i < appends_per_thread; ++i) {
        // Every fifth append is meant to fail on the server, alone.
        bool wrong_version = i % 10 == 4;
        bool bad_json = i % 10 == 9;
        EventData event = EventData::create("Happened", bad_json ? "{not json" : R"({"i": )" + std::to_string(i) + "}");
        auto expected = ExpectedVersion::exactly(StreamVersion{wrong_version ? version + 5 : version});
        auto appended = client.append(stream, expected, event);
        std::lock_guard lock{results_mutex};
        if (wrong_version || bad_json) {
          ErrorCode due = wrong_version ? ErrorCode::wrong_expected_version : ErrorCode::invalid_json;
          if (appended || appended.error().code() != due) ++wrong_outcomes;
          if (wrong_version && !appended && appended.error().actual_version() != StreamVersion{version})
            ++wrong_outcomes;
          refused.insert(event.id.to_string());
          continue;
        }
        if (!appended || appended->next_expected_version != StreamVersion{version + 1}) {
          ++wrong_outcomes;
          ADD_FAILURE() << (appended ? "wrong version" : appended.error().describe());
          continue;
        }
        version = appended->next_expected_version.value();
        acknowledged.insert(event.id.to_string());
      }
    });
  for (auto& writer : writers) writer.join();

  EXPECT_EQ(wrong_outcomes, 0);
  EXPECT_EQ(acknowledged.size(), static_cast<std::size_t>(threads * appends_per_thread * 4 / 5));
  std::map<std::string, int> stored = stored_event_ids();
  for (const auto& id : acknowledged) EXPECT_EQ(stored[id], 1) << "acknowledged event " << id;
  for (const auto& id : refused) EXPECT_EQ(stored.count(id), 0u) << "refused event " << id << " was stored";
  EXPECT_EQ(stored.size(), acknowledged.size());
  ConnectionStatistics statistics = client.connection_statistics();
  EXPECT_EQ(statistics.pipelined_appends, static_cast<std::uint64_t>(threads * appends_per_thread));
  EXPECT_LE(statistics.open_connections, 4u);
}

TEST_F(PipelinedAppendTest, AppendsQueuedWhileABatchIsOnTheWireGoInOneBatch) {
  auto connected = connect({.pool = {.max_size = 2}, .pipeline_connections = 1});
  ASSERT_TRUE(connected);
  Client& client = *connected;
  StreamName held = stream_name(prefix_ + "-held");
  ASSERT_TRUE(client.append(held, ExpectedVersion::no_stream(), make_events(1)));
  SqlSession holder{test_dsn()};
  ASSERT_TRUE(holder.execute("BEGIN"));
  ASSERT_TRUE(
      holder.execute("SELECT eventstore.append('" + held.value() + "', -2, ARRAY[eventstore.event('Held', '{}')])"))
      << holder.last_error();

  std::vector<std::thread> writers;
  std::atomic<int> failures = 0;
  writers.emplace_back([&] {
    if (!client.append(held, ExpectedVersion::any(), make_events(1))) ++failures;
  });
  ASSERT_TRUE(eventually([&] { return waiting_for_a_lock(admin_, application_name_) == 1; }));
  for (int thread = 1; thread <= 15; ++thread)
    writers.emplace_back([&, thread] {
      if (!client.append(stream_name(prefix_ + "-" + std::to_string(thread)), ExpectedVersion::no_stream(),
                         make_events(1)))
        ++failures;
    });
  ASSERT_TRUE(eventually([&] { return client.connection_statistics().queued_appends == 15; }));
  ASSERT_TRUE(holder.execute("COMMIT"));
  for (auto& writer : writers) writer.join();

  EXPECT_EQ(failures, 0);
  ConnectionStatistics statistics = client.connection_statistics();
  EXPECT_EQ(statistics.largest_pipelined_batch, 15u);
  EXPECT_EQ(statistics.pipelined_batches, 3u);  // the first append, the held one, the fifteen
  EXPECT_EQ(statistics.pipelined_appends, 17u);
}

TEST_F(PipelinedAppendTest, ConnectionLossFailsOnlyWhatWasNotAcknowledged) {
  auto connected = connect({.pool = {.max_size = 4}, .pipeline_connections = 2});
  ASSERT_TRUE(connected);
  Client& client = *connected;
  struct Ambiguous {
    StreamName stream;
    EventData event;
  };
  std::mutex results_mutex;
  std::set<std::string> acknowledged;
  std::vector<Ambiguous> ambiguous;
  std::atomic<int> unexpected_errors = 0;
  std::atomic<bool> stop = false;
  std::atomic<int> appends_done = 0;

  std::vector<std::thread> writers;
  for (int thread = 0; thread < 16; ++thread)
    writers.emplace_back([&, thread] {
      StreamName stream = stream_name(prefix_ + "-" + std::to_string(thread));
      while (!stop) {
        EventData event = EventData::create("Happened", R"({"thread": )" + std::to_string(thread) + "}");
        auto appended = client.append(stream, ExpectedVersion::any(), event);
        ++appends_done;
        std::lock_guard lock{results_mutex};
        if (appended) {
          acknowledged.insert(event.id.to_string());
        } else if (appended.error().code() == ErrorCode::connection_lost) {
          ambiguous.push_back({stream, event});
        } else {
          ++unexpected_errors;
          ADD_FAILURE() << appended.error().describe();
        }
      }
    });
  // Terminate the client's backends while the writers are busy.
  for (int round = 0; round < 5; ++round) {
    int target = appends_done + 100;
    ASSERT_TRUE(eventually([&] { return appends_done >= target; }));
    EXPECT_GE(terminate_backends(admin_, application_name_), 0);
  }
  int target = appends_done + 100;
  EXPECT_TRUE(eventually([&] { return appends_done >= target; })) << "the client did not recover";
  stop = true;
  for (auto& writer : writers) writer.join();

  EXPECT_EQ(unexpected_errors, 0);
  EXPECT_FALSE(ambiguous.empty()) << "no append was in doubt: the test did not cut any connection";
  std::map<std::string, int> stored = stored_event_ids();
  for (const auto& id : acknowledged) EXPECT_EQ(stored[id], 1) << "acknowledged event " << id;
  // Each ambiguous append may or may not have committed; retried with the same id it is there once.
  for (const Ambiguous& doubt : ambiguous) {
    EXPECT_LE(stored[doubt.event.id.to_string()], 1);
    auto retried = client.append(doubt.stream, ExpectedVersion::any(), doubt.event);
    EXPECT_TRUE(retried) << retried.error().describe();
  }
  stored = stored_event_ids();
  EXPECT_EQ(stored.size(), acknowledged.size() + ambiguous.size());
  for (const auto& [id, times] : stored) EXPECT_EQ(times, 1) << id;
}

TEST_F(PipelinedAppendTest, ErrorsFoundBeforeSendingAreReturnedDirectly) {
  auto connected = connect({});
  ASSERT_TRUE(connected);
  auto appended = connected->append(stream_name(prefix_ + "-1"), ExpectedVersion::any(), std::span<const EventData>{});
  ASSERT_FALSE(appended);
  EXPECT_EQ(appended.error().code(), ErrorCode::no_events) << appended.error().describe();
  auto bad_type = connected->append(stream_name(prefix_ + "-1"), ExpectedVersion::any(), EventData::create("", "{}"));
  ASSERT_FALSE(bad_type);
  EXPECT_EQ(bad_type.error().code(), ErrorCode::invalid_event_type);
  EXPECT_EQ(connected->connection_statistics().pipelined_appends, 1u) << "only the empty append went to the server";
}

}  // namespace
}  // namespace eventstore
