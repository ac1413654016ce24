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

class ConnectionLossTest : public ClientTest {
 protected:
  // The client's backend is known by its application_name.
  std::string application_name() const { return "loss" + token(); }
  std::string client_settings() const override { return "application_name=" + application_name(); }

  void SetUp() override {
    ClientTest::SetUp();
    if (HasFatalFailure()) return;
    stream_ = stream("loss");
  }

  // Terminates the client's backend from a second connection and waits until it is gone.
  void terminate_client_backend() {
    auto terminated = sql().query_value(
        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000)) FROM pg_stat_activity "
        "WHERE application_name = '" +
        application_name() + "'");
    ASSERT_EQ(terminated, "1") << sql().last_error();
  }

  StreamName stream_ = stream_name("placeholder");
};

TEST_F(ConnectionLossTest, TerminatedBackendIsConnectionLostThenTheClientReconnects) {
  ASSERT_TRUE(client().append(stream_, ExpectedVersion::no_stream(), make_events(1)));
  terminate_client_backend();

  auto failed = client().append(stream_, ExpectedVersion::exactly(StreamVersion{0}), make_events(1));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code(), ErrorCode::connection_lost) << failed.error().describe();
  EXPECT_TRUE(failed.error().retryable());

  // Retrying is enough: the client reconnects and prepares its statements again.
  auto retried = client().append(stream_, ExpectedVersion::exactly(StreamVersion{0}), make_events(1));
  ASSERT_TRUE(retried) << retried.error().describe();
  EXPECT_EQ(retried->next_expected_version, StreamVersion{1});
  auto read = client().read_stream(stream_);
  ASSERT_TRUE(read) << read.error().describe();
  EXPECT_EQ(read->size(), 2u);
}

TEST_F(ConnectionLossTest, RetryWithTheSameIdsAfterALostReplyWritesOnce) {
  std::vector<EventData> events = make_events(3);
  auto original = client().append(stream_, ExpectedVersion::no_stream(), events);
  ASSERT_TRUE(original) << original.error().describe();
  // The caller cannot know whether that append committed if the reply was lost:
  // it retries the same events, on a connection that is gone by then.
  terminate_client_backend();
  auto lost = client().append(stream_, ExpectedVersion::no_stream(), events);
  ASSERT_FALSE(lost);
  ASSERT_TRUE(lost.error().retryable()) << lost.error().describe();
  auto retried = client().append(stream_, ExpectedVersion::no_stream(), events);
  ASSERT_TRUE(retried) << retried.error().describe();
  EXPECT_EQ(*retried, *original);
  EXPECT_EQ(sql().query_value("SELECT count(*) FROM eventstore.events e JOIN eventstore.streams s USING (stream_id) "
                              "WHERE s.stream_name = '" +
                              stream_.value() + "'"),
            "3");
}

TEST_F(ConnectionLossTest, LossDuringALazyReadIsYieldedAsTheLastElement) {
  ASSERT_TRUE(client().append(stream_, ExpectedVersion::no_stream(), make_events(300)));
  int events_seen = 0;
  std::optional<Error> error;
  int elements_after_error = 0;
  for (auto& event : client().stream(stream_, {.page_size = 100})) {
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
