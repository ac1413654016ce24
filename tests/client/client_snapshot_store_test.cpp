// The Client as the SnapshotStore a Repository takes: the same calls through
// the interface, with the Client's pool, deadlines and errors.
#include <gtest/gtest.h>

#include <chrono>

#include "event_factory.hpp"
#include "eventstore/postgres/client.hpp"
#include "eventstore/store/deadline.hpp"
#include "eventstore/store/snapshot_store.hpp"
#include "sql_session.hpp"
#include "test_database.hpp"

namespace eventstore {
namespace {

using namespace testing_support;
using namespace std::chrono_literals;

class ClientSnapshotStoreTest : public ClientTest {
 protected:
  void SetUp() override {
    ClientTest::SetUp();
    if (HasFatalFailure()) return;
    stream_ = stream("account");
    ASSERT_TRUE(client().append(stream_, ExpectedVersion::no_stream(), make_events(4)));
  }

  StreamName stream_ = stream_name("account-0");
};

TEST_F(ClientSnapshotStoreTest, SavesAndLoadsThroughTheInterface) {
  auto own = connect_client();
  ASSERT_TRUE(own) << own.error().describe();
  SnapshotStore& snapshots = *own;
  ASSERT_TRUE(snapshots.save_snapshot(stream_, StreamVersion{1}, R"({"balance": 1})", {.state_schema_version = 3}));
  auto loaded = snapshots.load(stream_, {.state_schema_version = 3, .max_count = 100});
  ASSERT_TRUE(loaded) << loaded.error().describe();
  ASSERT_TRUE(loaded->snapshot);
  EXPECT_EQ(loaded->snapshot->version, StreamVersion{1});
  EXPECT_EQ(loaded->events.size(), 2u);
  // What one client saved is what another sees.
  auto seen = client().load(stream_, {.state_schema_version = 3});
  ASSERT_TRUE(seen && seen->snapshot);
  EXPECT_EQ(seen->snapshot->state, R"({"balance": 1})");
  // Moving the client keeps its snapshots reachable.
  Client moved = std::move(*own);
  SnapshotStore& moved_snapshots = moved;
  EXPECT_TRUE(moved_snapshots.load(stream_, {.state_schema_version = 3, .max_count = 1}));
}

TEST_F(ClientSnapshotStoreTest, KeepsWhatItIsToldAndReportsTheServersErrors) {
  SnapshotStore& snapshots = client();
  ASSERT_TRUE(snapshots.save_snapshot(stream_, StreamVersion{2}, "{}", {.state_schema_version = 1, .keep = 1}));
  ASSERT_TRUE(snapshots.save_snapshot(stream_, StreamVersion{3}, "{}", {.state_schema_version = 2, .keep = 1}));
  EXPECT_EQ(sql().count("eventstore.snapshots s JOIN eventstore.streams USING (stream_id) WHERE stream_name = '" +
                        stream_.value() + "'"),
            1);
  auto beyond = snapshots.save_snapshot(stream_, StreamVersion{9}, "{}");
  ASSERT_FALSE(beyond);
  EXPECT_EQ(beyond.error().code(), ErrorCode::invalid_snapshot);
  EXPECT_EQ(beyond.error().sqlstate(), "22V10");
  ASSERT_TRUE(client().tombstone_stream(stream_));
  auto gone = snapshots.load(stream_, {.state_schema_version = 1, .max_count = 10});
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code(), ErrorCode::stream_deleted);
  auto other = stream_name("account" + unique_token() + "-2");
  ASSERT_TRUE(client().append(other, ExpectedVersion::no_stream(), make_events(1)));
  auto refused = snapshots.save_snapshot(other, StreamVersion{0}, "{}", {.keep = 0});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::invalid_snapshot);
}

TEST_F(ClientSnapshotStoreTest, HonoursTheCallersDeadline) {
  SnapshotStore& snapshots = client();
  DeadlineScope passed{Deadline::clock::now() - 1ms};
  auto late = snapshots.load(stream_, {.state_schema_version = 1, .max_count = 10});
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code(), ErrorCode::timeout);
  EXPECT_TRUE(late.error().retryable());
}

}  // namespace
}  // namespace eventstore
