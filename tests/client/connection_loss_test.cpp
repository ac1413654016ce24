// A backend terminated by the server: the call in progress fails with
// connection_lost (retryable), the next call reconnects, and a retried append
// with the same ids is written once.
#include <gtest/gtest.h>

#include "event_factory.hpp"
#include "sql_session.hpp"
#include "test_database.hpp"

namespace eventstore {
namespace {

using namespace testing_support;

class ConnectionLossTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    application_name_ = "loss" + unique_token();
    auto connected = connect_client("application_name=" + application_name_);
    ASSERT_TRUE(connected);
    client_.emplace(std::move(*connected));
    stream_ = stream_name("loss" + unique_token() + "-1");
  }

  // Terminates the client's backend from a second connection and waits until it is gone.
  void terminate_client_backend() {
    auto terminated = admin_.query_value(
        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000)) FROM pg_stat_activity "
        "WHERE application_name = '" + application_name_ + "'");
    ASSERT_EQ(terminated, "1") << admin_.last_error();
  }

  std::string application_name_;
  std::optional<Client> client_;
  StreamName stream_ = stream_name("placeholder");
  SqlSession admin_{test_dsn()};
};

TEST_F(ConnectionLossTest, TerminatedBackendIsConnectionLostThenTheClientReconnects) {
  ASSERT_TRUE(client_->append(stream_, ExpectedVersion::no_stream(), make_events(1)));
  terminate_client_backend();

  auto failed = client_->append(stream_, ExpectedVersion::exactly(StreamVersion{0}), make_events(1));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code(), ErrorCode::connection_lost) << failed.error().describe();
  EXPECT_TRUE(failed.error().retryable());

  // Retrying is enough: the client reconnects and prepares its statements again.
  auto retried = client_->append(stream_, ExpectedVersion::exactly(StreamVersion{0}), make_events(1));
  ASSERT_TRUE(retried) << retried.error().describe();
  EXPECT_EQ(retried->next_expected_version, StreamVersion{1});
  auto read = client_->read_stream(stream_);
  ASSERT_TRUE(read) << read.error().describe();
  EXPECT_EQ(read->size(), 2u);
}

TEST_F(ConnectionLossTest, RetryWithTheSameIdsAfterALostReplyWritesOnce) {
  std::vector<EventData> events = make_events(3);
  auto original = client_->append(stream_, ExpectedVersion::no_stream(), events);
  ASSERT_TRUE(original) << original.error().describe();
  // The caller cannot know whether that append committed if the reply was lost:
  // it retries the same events, on a connection that is gone by then.
  terminate_client_backend();
  auto lost = client_->append(stream_, ExpectedVersion::no_stream(), events);
  ASSERT_FALSE(lost);
  ASSERT_TRUE(lost.error().retryable()) << lost.error().describe();
  auto retried = client_->append(stream_, ExpectedVersion::no_stream(), events);
  ASSERT_TRUE(retried) << retried.error().describe();
  EXPECT_EQ(*retried, *original);
  EXPECT_EQ(admin_.query_value("SELECT count(*) FROM eventstore.events e JOIN eventstore.streams s USING (stream_id) "
                               "WHERE s.stream_name = '" + stream_.value() + "'"),
            "3");
}

TEST_F(ConnectionLossTest, LossDuringALazyReadIsYieldedAsTheLastElement) {
  ASSERT_TRUE(client_->append(stream_, ExpectedVersion::no_stream(), make_events(300)));
  int events_seen = 0;
  std::optional<Error> error;
  int elements_after_error = 0;
  for (auto& event : client_->stream(stream_, {.page_size = 100})) {
    if (error) {
      ++elements_after_error;
      continue;
    }
    if (!event) {
      error = event.error();
      continue;
    }
    ++events_seen;
    if (events_seen == 100) terminate_client_backend();  // the first page is in memory
  }
  EXPECT_EQ(events_seen, 100);
  ASSERT_TRUE(error.has_value()) << "the lost connection went unnoticed";
  EXPECT_EQ(error->code(), ErrorCode::connection_lost) << error->describe();
  EXPECT_TRUE(error->retryable());
  EXPECT_EQ(elements_after_error, 0);
}

}  // namespace
}  // namespace eventstore
