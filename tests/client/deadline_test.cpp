// Deadlines: a call made after its deadline fails at once; a statement that
// outlives it is cancelled by the server (57014, timeout); the connection
// goes back to the pool without the deadline's statement_timeout; waiting for
// a pooled connection ends at the deadline too.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "backends.hpp"
#include "event_factory.hpp"
#include "sql_session.hpp"
#include "test_database.hpp"

namespace eventstore {
namespace {

using namespace testing_support;
using namespace std::chrono_literals;

class DeadlineTest : public StoreTest, public ::testing::WithParamInterface<bool> {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    application_name_ = "deadline" + unique_token();
    stream_ = stream_name("deadline" + unique_token() + "-1");
  }

  // One connection, so that the next call surely gets the one a deadline was used on.
  std::optional<Client> connect(bool pipelined) {
    ClientOptions options{.pool = {.min_size = 1, .max_size = 1, .checkout_timeout = 10s},
                          .pipelined_appends = pipelined,
                          .pipeline_connections = 1};
    auto client = Client::connect(test_dsn() + " application_name=" + application_name_, options);
    if (!client) {
      ADD_FAILURE() << "cannot connect: " << client.error().describe();
      return std::nullopt;
    }
    return std::move(*client);
  }

  // Holds the stream's row in an open transaction of `holder`, so that appends to it wait.
  void hold_stream(SqlSession& holder) {
    ASSERT_TRUE(holder.execute("BEGIN")) << holder.last_error();
    ASSERT_TRUE(holder.execute("SELECT eventstore.append('" + stream_.value() +
                               "', -2, ARRAY[eventstore.event('Held', '{}')])"))
        << holder.last_error();
  }

  // Another session holds the stream for 2 s; an append without a deadline
  // on the client's only connection waits for it and succeeds, which it
  // would not if a deadline's statement_timeout had stayed on the session.
  void expect_the_connection_waits_without_a_deadline(Client& client) {
    std::string backend_before = backend_ids(admin_, application_name_);
    SqlSession slow_holder{test_dsn()};
    std::thread hold_then_release{[&] {
      EXPECT_TRUE(slow_holder.execute("BEGIN; SELECT eventstore.append('" + stream_.value() +
                                      "', -2, ARRAY[eventstore.event('Held', '{}')]); SELECT pg_sleep(2); COMMIT"))
          << slow_holder.last_error();
    }};
    ASSERT_TRUE(eventually([&] {
      return count_where(admin_, "wait_event = 'PgSleep' AND query LIKE '%pg_sleep(2)%' AND pid <> pg_backend_pid()") ==
             1;
    }));
    auto started = std::chrono::steady_clock::now();
    auto waited = client.append(stream_, ExpectedVersion::any(), make_events(1));
    auto took = std::chrono::steady_clock::now() - started;
    hold_then_release.join();
    ASSERT_TRUE(waited) << waited.error().describe();
    EXPECT_GE(took, 500ms) << "the append did not wait for the held row";
    EXPECT_EQ(backend_ids(admin_, application_name_), backend_before) << "not the same connection";
  }

  std::string application_name_;
  StreamName stream_ = stream_name("placeholder");
  SqlSession admin_{test_dsn()};
};

TEST_P(DeadlineTest, APassedDeadlineFailsBeforeAnythingIsSent) {
  auto client = connect(GetParam());
  ASSERT_TRUE(client);
  DeadlineScope deadline{std::chrono::steady_clock::now() - 1ms};
  auto appended = client->append(stream_, ExpectedVersion::any(), make_events(1));
  ASSERT_FALSE(appended);
  EXPECT_EQ(appended.error().code(), ErrorCode::timeout) << appended.error().describe();
  EXPECT_TRUE(appended.error().sqlstate().empty()) << "the server was asked";
  auto read = client->read_stream(stream_);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code(), ErrorCode::timeout);
  EXPECT_EQ(admin_.query_value("SELECT count(*) FROM eventstore.streams WHERE stream_name = '" + stream_.value() + "'"),
            "0");
}

TEST_P(DeadlineTest, AStatementOutlivingItsDeadlineIsCancelledByTheServer) {
  auto client = connect(GetParam());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->append(stream_, ExpectedVersion::no_stream(), make_events(1)));
  SqlSession holder{test_dsn()};
  hold_stream(holder);

  auto started = std::chrono::steady_clock::now();
  Result<AppendResult> appended = std::unexpected(Error{ErrorCode::internal, "not run"});
  {
    DeadlineScope deadline{started + 300ms};
    appended = client->append(stream_, ExpectedVersion::any(), make_events(1));
  }
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(appended);
  EXPECT_EQ(appended.error().code(), ErrorCode::timeout) << appended.error().describe();
  EXPECT_EQ(appended.error().sqlstate(), "57014") << "not cancelled by the server";
  EXPECT_TRUE(appended.error().retryable());
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 5s);
  ASSERT_TRUE(holder.execute("ROLLBACK"));

  // The same (only) connection, without a deadline, waits as long as it has
  // to: the deadline's statement_timeout ended with its transaction.
  expect_the_connection_waits_without_a_deadline(*client);
}

TEST_P(DeadlineTest, ASuccessfulCallLeavesNoStatementTimeoutBehind) {
  auto client = connect(GetParam());
  ASSERT_TRUE(client);
  {
    // Ample for these calls, and shorter than the wait that follows.
    DeadlineScope deadline{std::chrono::steady_clock::now() + 1s};
    auto appended = client->append(stream_, ExpectedVersion::no_stream(), make_events(1));
    ASSERT_TRUE(appended) << appended.error().describe();
    auto read = client->read_stream(stream_);
    ASSERT_TRUE(read) << read.error().describe();
  }
  expect_the_connection_waits_without_a_deadline(*client);
}

TEST_P(DeadlineTest, ReadsAreCancelledToo) {
  auto client = connect(GetParam());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->append(stream_, ExpectedVersion::no_stream(), make_events(1)));
  // An exclusive lock on the events table makes every read wait.
  SqlSession holder{test_dsn()};
  ASSERT_TRUE(holder.execute("BEGIN; LOCK TABLE eventstore.events IN ACCESS EXCLUSIVE MODE")) << holder.last_error();
  Result<std::vector<RecordedEvent>> read = std::unexpected(Error{ErrorCode::internal, "not run"});
  {
    DeadlineScope deadline{std::chrono::steady_clock::now() + 200ms};
    read = client->read_stream(stream_);
  }
  ASSERT_TRUE(holder.execute("ROLLBACK"));
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code(), ErrorCode::timeout) << read.error().describe();
  EXPECT_EQ(read.error().sqlstate(), "57014");
  auto again = client->read_stream(stream_);
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->size(), 1u);
}

TEST_P(DeadlineTest, WaitingForAPooledConnectionEndsAtTheDeadline) {
  auto client = connect(GetParam());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->append(stream_, ExpectedVersion::no_stream(), make_events(1)));
  SqlSession holder{test_dsn()};
  hold_stream(holder);
  std::thread blocked{[&] { EXPECT_TRUE(client->append(stream_, ExpectedVersion::any(), make_events(1))); }};
  ASSERT_TRUE(eventually([&] { return waiting_for_a_lock(admin_, application_name_) == 1; }));

  auto started = std::chrono::steady_clock::now();
  Result<StreamVersion> version = std::unexpected(Error{ErrorCode::internal, "not run"});
  {
    DeadlineScope deadline{started + 150ms};
    version = client->stream_version(stream_);
  }
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(holder.execute("ROLLBACK"));
  blocked.join();
  ASSERT_FALSE(version);
  EXPECT_EQ(version.error().code(), ErrorCode::timeout) << version.error().describe();
  EXPECT_LT(took, 5s) << "waited for the checkout timeout instead";
}

INSTANTIATE_TEST_SUITE_P(PipelinedOrNot, DeadlineTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Pipelined" : "Direct";
                         });

}  // namespace
}  // namespace eventstore
