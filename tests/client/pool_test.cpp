// One Client shared by many threads through its connection pool: calls from
// every thread succeed, the pool never opens more than max_size, a full pool
// answers pool_exhausted, and pooled connections the server terminated are
// replaced on the next calls.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
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

class PoolTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    application_name_ = "pool" + unique_token();
  }

  // A client whose backends are known by their application_name.
  std::optional<Client> connect(const ClientOptions& options) {
    auto client = Client::connect(test_dsn() + " application_name=" + application_name_, options);
    if (!client) {
      ADD_FAILURE() << "cannot connect: " << client.error().describe();
      return std::nullopt;
    }
    return std::move(*client);
  }

  // Holds the row of `stream` (which exists) in an open transaction, so that
  // appends to it wait; released by rollback().
  void hold_stream(SqlSession& holder, const StreamName& stream) {
    ASSERT_TRUE(holder.execute("BEGIN")) << holder.last_error();
    ASSERT_TRUE(
        holder.execute("SELECT eventstore.append('" + stream.value() + "', -2, ARRAY[eventstore.event('Held', '{}')])"))
        << holder.last_error();
  }

  std::string application_name_;
  SqlSession admin_{test_dsn()};
};

TEST_F(PoolTest, ManyThreadsShareOneClient) {
  auto connected = connect({.pool = {.min_size = 1, .max_size = 4}});
  ASSERT_TRUE(connected);
  Client& client = *connected;
  constexpr int threads = 16;
  constexpr int appends_per_thread = 30;
  std::string prefix = "shared" + unique_token();
  std::atomic<int> failures = 0;
  std::vector<std::thread> workers;
  for (int thread = 0; thread < threads; ++thread)
    workers.emplace_back([&, thread] {
      StreamName stream = stream_name(prefix + "-" + std::to_string(thread));
      for (int i = 0; i < appends_per_thread; ++i) {
        auto appended = client.append(stream, ExpectedVersion::exactly(StreamVersion{i - 1}), make_events(1));
        if (!appended || appended->next_expected_version != StreamVersion{i}) ++failures;
        auto version = client.stream_version(stream);
        if (!version || *version != StreamVersion{i}) ++failures;
        if (!client.read_category(prefix, std::nullopt, 10)) ++failures;
      }
      auto read = client.read_stream(stream);
      if (!read || read->size() != appends_per_thread) ++failures;
    });
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(failures, 0);
  EXPECT_LE(client.connection_statistics().open_connections, 4u);
  EXPECT_LE(backends_of(admin_, application_name_), 4);
  EXPECT_EQ(admin_.query_value("SELECT count(*) FROM eventstore.events e JOIN eventstore.streams s USING (stream_id) "
                               "WHERE s.stream_name LIKE '" +
                               prefix + "-%'"),
            std::to_string(threads * appends_per_thread));
}

TEST_F(PoolTest, AFullPoolAnswersPoolExhausted) {
  auto connected = connect({.pool = {.min_size = 1, .max_size = 1, .checkout_timeout = 100ms}});
  ASSERT_TRUE(connected);
  Client& client = *connected;
  StreamName held = stream_name("held" + unique_token() + "-1");
  ASSERT_TRUE(client.append(held, ExpectedVersion::no_stream(), make_events(1)));
  SqlSession holder{test_dsn()};
  hold_stream(holder, held);

  // The only connection waits for the row, in use all along.
  std::thread blocked{[&] {
    auto appended = client.append(held, ExpectedVersion::any(), make_events(1));
    EXPECT_TRUE(appended) << appended.error().describe();
  }};
  ASSERT_TRUE(eventually([&] { return waiting_for_a_lock(admin_, application_name_) == 1; }));

  auto started = std::chrono::steady_clock::now();
  auto refused = client.stream_version(held);
  auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::pool_exhausted) << refused.error().describe();
  EXPECT_TRUE(refused.error().retryable());
  EXPECT_GE(waited, 100ms);

  ASSERT_TRUE(holder.execute("ROLLBACK")) << holder.last_error();
  blocked.join();
  auto version = client.stream_version(held);
  ASSERT_TRUE(version) << version.error().describe();
  EXPECT_EQ(*version, StreamVersion{1});
}

TEST_F(PoolTest, TerminatedIdleConnectionsAreReplacedBeforeTheNextCalls) {
  auto connected = connect({.pool = {.min_size = 4, .max_size = 4, .health_check_after_idle = 0ms}});
  ASSERT_TRUE(connected);
  Client& client = *connected;
  ASSERT_TRUE(eventually([&] { return backends_of(admin_, application_name_) == 4; }));
  std::string before = backend_ids(admin_, application_name_);
  ASSERT_EQ(terminate_backends(admin_, application_name_), 4);

  // Every call finds its connection gone before using it and takes a new one.
  StreamName stream = stream_name("replaced" + unique_token() + "-1");
  std::atomic<int> failures = 0;
  std::vector<std::thread> callers;
  for (int thread = 0; thread < 4; ++thread)
    callers.emplace_back([&] {
      for (int call = 0; call < 5; ++call) {
        auto appended = client.append(stream, ExpectedVersion::any(), make_events(1));
        if (!appended) {
          ADD_FAILURE() << appended.error().describe();
          ++failures;
        }
      }
    });
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(failures, 0);
  auto version = client.stream_version(stream);
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, StreamVersion{19});
  std::string after = backend_ids(admin_, application_name_);
  EXPECT_NE(after, before);
  EXPECT_LE(client.connection_statistics().open_connections, 4u);
}

TEST_F(PoolTest, WithoutTheIdleCheckEachTerminatedConnectionFailsOneCallThenIsReplaced) {
  auto connected = connect({.pool = {.min_size = 2, .max_size = 2, .health_check_after_idle = 1h}});
  ASSERT_TRUE(connected);
  Client& client = *connected;
  ASSERT_TRUE(eventually([&] { return backends_of(admin_, application_name_) == 2; }));
  ASSERT_EQ(terminate_backends(admin_, application_name_), 2);

  StreamName stream = stream_name("unchecked" + unique_token() + "-1");
  int lost = 0;
  int successes_in_a_row = 0;
  for (int call = 0; call < 10 && successes_in_a_row < 3; ++call) {
    auto appended = client.append(stream, ExpectedVersion::any(), make_events(1));
    if (appended) {
      ++successes_in_a_row;
      continue;
    }
    EXPECT_EQ(appended.error().code(), ErrorCode::connection_lost) << appended.error().describe();
    EXPECT_EQ(successes_in_a_row, 0) << "a terminated connection was used after a fresh one";
    ++lost;
  }
  EXPECT_EQ(successes_in_a_row, 3);
  EXPECT_GE(lost, 1);
  EXPECT_LE(lost, 2) << "a broken connection went back into the pool";
}

TEST_F(PoolTest, TheLazyRangeHoldsNoConnectionBetweenPages) {
  auto connected = connect({.pool = {.min_size = 1, .max_size = 1, .checkout_timeout = 2s}});
  ASSERT_TRUE(connected);
  Client& client = *connected;
  StreamName stream = stream_name("paged" + unique_token() + "-1");
  ASSERT_TRUE(client.append(stream, ExpectedVersion::no_stream(), make_events(25)));
  int seen = 0;
  for (auto& event : client.stream(stream, {.page_size = 10})) {
    ASSERT_TRUE(event) << event.error().describe();
    // The only connection must be free here, between the range's reads.
    auto version = client.stream_version(stream);
    ASSERT_TRUE(version) << version.error().describe();
    ++seen;
  }
  EXPECT_EQ(seen, 25);
}

TEST_F(PoolTest, IdleConnectionsBeyondTheMinimumAreClosed) {
  auto connected = connect({.pool = {.min_size = 1, .max_size = 4, .idle_timeout = 200ms}});
  ASSERT_TRUE(connected);
  Client& client = *connected;
  StreamName stream = stream_name("idle" + unique_token() + "-1");
  std::vector<std::thread> callers;
  SqlSession holder{test_dsn()};
  ASSERT_TRUE(client.append(stream, ExpectedVersion::no_stream(), make_events(1)));
  // Four calls at once need four connections: hold the stream so they overlap.
  hold_stream(holder, stream);
  for (int thread = 0; thread < 4; ++thread)
    callers.emplace_back([&] { EXPECT_TRUE(client.append(stream, ExpectedVersion::any(), make_events(1))); });
  ASSERT_TRUE(eventually([&] { return waiting_for_a_lock(admin_, application_name_) == 4; }));
  ASSERT_TRUE(holder.execute("ROLLBACK"));
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(client.connection_statistics().open_connections, 4u);
  ASSERT_TRUE(eventually([&] { return client.connection_statistics().open_connections == 1; }, 5s));
  ASSERT_TRUE(eventually([&] { return backends_of(admin_, application_name_) == 1; }, 5s));
}

TEST_F(PoolTest, BadOptionsAreInvalidArgument) {
  auto client = Client::connect(test_dsn(), {.pool = {.min_size = 5, .max_size = 2}});
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code(), ErrorCode::invalid_argument) << client.error().describe();
}

}  // namespace
}  // namespace eventstore
