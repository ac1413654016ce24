// ServerSnapshotStore: the framework's SnapshotStore through a Client (its
// own, made by connect(), or one the application shares).
#include <gtest/gtest.h>

#include <chrono>

#include "event_factory.hpp"
#include "eventstore/postgres/server_snapshot_store.hpp"
#include "sql_session.hpp"
#include "test_database.hpp"

namespace eventstore {
namespace {

using namespace testing_support;
using namespace std::chrono_literals;

class ServerSnapshotStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    auto connected = connect_client();
    ASSERT_TRUE(connected);
    client_.emplace(std::move(*connected));
    stream_ = stream_name("account" + unique_token() + "-1");
    ASSERT_TRUE(client_->append(stream_, ExpectedVersion::no_stream(), make_events(4)));
  }

  std::optional<Client> client_;
  StreamName stream_ = stream_name("account-0");
};

TEST_F(ServerSnapshotStoreTest, SavesAndLoadsThroughItsOwnClient) {
  auto snapshots = ServerSnapshotStore::connect(test_dsn(), {.max_connections = 2});
  ASSERT_TRUE(snapshots) << snapshots.error().describe();
  ASSERT_TRUE(snapshots->save_snapshot(stream_, StreamVersion{1}, R"({"balance": 1})", 3));
  auto loaded = snapshots->load(stream_, 3, 100);
  ASSERT_TRUE(loaded) << loaded.error().describe();
  ASSERT_TRUE(loaded->snapshot);
  EXPECT_EQ(loaded->snapshot->version, StreamVersion{1});
  EXPECT_EQ(loaded->events.size(), 2u);
  // What it saved is what the Client sees.
  auto seen = client_->load(stream_, {.state_schema_version = 3});
  ASSERT_TRUE(seen && seen->snapshot);
  EXPECT_EQ(seen->snapshot->state, R"({"balance": 1})");
  // Moving the store keeps its client.
  ServerSnapshotStore moved = std::move(*snapshots);
  EXPECT_TRUE(moved.load(stream_, 3, 1));
}

TEST_F(ServerSnapshotStoreTest, SharesAnApplicationsClientAndItsErrors) {
  ServerSnapshotStore snapshots{*client_, {.snapshots_to_keep = 1}};
  ASSERT_TRUE(snapshots.save_snapshot(stream_, StreamVersion{2}, "{}", 1));
  ASSERT_TRUE(snapshots.save_snapshot(stream_, StreamVersion{3}, "{}", 2));
  SqlSession sql{test_dsn()};
  EXPECT_EQ(sql.count("eventstore.snapshots s JOIN eventstore.streams USING (stream_id) WHERE stream_name = '" +
                      stream_.value() + "'"),
            1);
  auto beyond = snapshots.save_snapshot(stream_, StreamVersion{9}, "{}", 1);
  ASSERT_FALSE(beyond);
  EXPECT_EQ(beyond.error().code(), ErrorCode::invalid_snapshot);
  EXPECT_EQ(beyond.error().sqlstate(), "22V10");
  ASSERT_TRUE(client_->tombstone_stream(stream_));
  auto gone = snapshots.load(stream_, 1, 10);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code(), ErrorCode::stream_deleted);
  ServerSnapshotStore keep_none{*client_, {.snapshots_to_keep = 0}};
  auto other = stream_name("account" + unique_token() + "-2");
  ASSERT_TRUE(client_->append(other, ExpectedVersion::no_stream(), make_events(1)));
  auto refused = keep_none.save_snapshot(other, StreamVersion{0}, "{}", 1);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::invalid_snapshot);
}

TEST_F(ServerSnapshotStoreTest, HonoursTheCallersDeadline) {
  ServerSnapshotStore snapshots{*client_};
  DeadlineScope passed{Deadline::clock::now() - 1ms};
  auto late = snapshots.load(stream_, 1, 10);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code(), ErrorCode::timeout);
  EXPECT_TRUE(late.error().retryable());
}

TEST_F(ServerSnapshotStoreTest, ConnectReportsBadSettingsAndUnreachableServers) {
  auto malformed = ServerSnapshotStore::connect("host=127.0.0.1 port='unterminated");
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code(), ErrorCode::invalid_argument);
  auto unreachable = ServerSnapshotStore::connect("host=127.0.0.1 port=1 connect_timeout=2");
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(unreachable.error().code(), ErrorCode::connection_lost);
  for (const ServerSnapshotStoreOptions& options :
       {ServerSnapshotStoreOptions{.max_connections = 0}, ServerSnapshotStoreOptions{.snapshots_to_keep = 0}}) {
    auto refused = ServerSnapshotStore::connect(test_dsn(), options);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code(), ErrorCode::invalid_argument);
  }
}

}  // namespace
}  // namespace eventstore
