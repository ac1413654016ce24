// A subscription's lag names what holds readers of the log back: an
// appending transaction left open shows as "append pid N for <age>", and the
// events appended after it are counted behind though no reader can see them
// yet. Once it ends, the lag says nothing holds the log.
#include <gtest/gtest.h>

#include "eventstore/subscriptions.hpp"
#include "test_database.hpp"

namespace eventstore::testing_support {
namespace {

using namespace std::chrono_literals;

class SubscriptionLagTest : public ClientTest {};

TEST_F(SubscriptionLagTest, NamesTheTransactionThatHoldsTheLogBack) {
  const std::string name = "lag-" + token();
  SubscriptionMembership member{name, "member-a", SubscriptionSource::of_category("lag" + token()), 1, 60s};
  ASSERT_TRUE(client().join(member));

  SqlSession holder{test_dsn()};
  ASSERT_TRUE(holder.execute("BEGIN"));
  ASSERT_TRUE(
      holder.execute("SELECT eventstore.append('lag" + token() + "-held', -1, ARRAY[eventstore.event('Held', '{}')])"));
  auto pid = holder.query_value("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid);
  ASSERT_TRUE(client().append(stream("lag", "after"), ExpectedVersion::no_stream(), EventData::create("After", "{}")));

  auto lag = client().lag(name);
  ASSERT_TRUE(lag) << lag.error().describe();
  ASSERT_EQ(lag->size(), 1u);
  EXPECT_EQ(lag->front().log_held_by.rfind("append pid " + *pid + " for ", 0), 0u) << lag->front().log_held_by;
  EXPECT_EQ(lag->front().events_behind, 1) << "the committed event after the open transaction";

  ASSERT_TRUE(holder.execute("COMMIT"));
  lag = client().lag(name);
  ASSERT_TRUE(lag);
  EXPECT_EQ(lag->front().log_held_by, "");
  EXPECT_EQ(lag->front().events_behind, 2);
  EXPECT_EQ(client().lag("no-such-" + token()).error().code(), ErrorCode::subscription_not_found);
}

}  // namespace
}  // namespace eventstore::testing_support
