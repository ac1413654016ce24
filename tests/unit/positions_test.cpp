#include <gtest/gtest.h>

#include <cstdint>

#include "eventstore/store/append_result.hpp"
#include "eventstore/store/global_position.hpp"
#include "eventstore/store/log_position.hpp"
#include "eventstore/store/stream_version.hpp"

namespace eventstore {
namespace {

TEST(StreamVersion, NoStreamIsMinusOne) {
  static_assert(StreamVersion::no_stream().value() == -1);
  EXPECT_FALSE(StreamVersion::no_stream().stream_exists());
  EXPECT_TRUE(StreamVersion{0}.stream_exists());
}

TEST(StreamVersion, OrdersByValue) {
  EXPECT_LT(StreamVersion{1}, StreamVersion{2});
  EXPECT_EQ(StreamVersion{5}, StreamVersion{5});
}

TEST(GlobalPosition, OrdersByValue) {
  EXPECT_LT(GlobalPosition{1}, GlobalPosition{2});
  EXPECT_EQ(GlobalPosition{3}.value(), 3);
}

TEST(LogPosition, OrdersByTransactionFirstThenPosition) {
  // A later transaction can hold a lower position: the log order is (transaction, position).
  LogPosition earlier_transaction_higher_position{100, GlobalPosition{50}};
  LogPosition later_transaction_lower_position{101, GlobalPosition{10}};
  EXPECT_LT(earlier_transaction_higher_position, later_transaction_lower_position);
  EXPECT_LT((LogPosition{100, GlobalPosition{1}}), (LogPosition{100, GlobalPosition{2}}));
  // xid8 values above 2^63 stay ordered (unsigned).
  EXPECT_LT((LogPosition{0x7FFF'FFFF'FFFF'FFFFu, GlobalPosition{1}}),
            (LogPosition{0x8000'0000'0000'0000u, GlobalPosition{1}}));
}

TEST(AppendResult, ComparesMemberwise) {
  AppendResult a{StreamVersion{2}, GlobalPosition{10}, GlobalPosition{12}};
  AppendResult b{StreamVersion{2}, GlobalPosition{10}, GlobalPosition{12}};
  AppendResult c{StreamVersion{2}, GlobalPosition{10}, GlobalPosition{13}};
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

}  // namespace
}  // namespace eventstore
