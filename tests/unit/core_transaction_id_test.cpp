#include <gtest/gtest.h>

#include <cstdint>

#include "eventstore/core/full_transaction_id.hpp"

namespace eventstore::core {
namespace {

constexpr std::uint64_t full(std::uint32_t epoch, std::uint32_t xid) {
  return (static_cast<std::uint64_t>(epoch) << 32) | xid;
}

TEST(CoreWidenTransactionId, WithinTheFirstEpoch) {
  EXPECT_EQ(widen_transaction_id(999, full(0, 1000)), full(0, 999));
  EXPECT_EQ(widen_transaction_id(3, full(0, 1000)), full(0, 3));
}

TEST(CoreWidenTransactionId, IdsBelowTheNextOneShareItsEpoch) {
  EXPECT_EQ(widen_transaction_id(50, full(1, 100)), full(1, 50));
  EXPECT_EQ(widen_transaction_id(100, full(1, 100)), full(1, 100));
}

TEST(CoreWidenTransactionId, IdsAboveTheNextOneBelongToThePreviousEpoch) {
  // Just after the wrap: the oldest live ids still carry the old epoch.
  EXPECT_EQ(widen_transaction_id(4'000'000'000u, full(1, 100)), full(0, 4'000'000'000u));
  EXPECT_EQ(widen_transaction_id(0xFFFF'FFFFu, full(1, 3)), full(0, 0xFFFF'FFFFu));
  EXPECT_EQ(widen_transaction_id(0xFFFF'FFFFu, full(7, 10)), full(6, 0xFFFF'FFFFu));
}

TEST(CoreWidenTransactionId, OrderIsKeptAcrossTheBoundary) {
  std::uint64_t next = full(1, 10);
  std::uint64_t before_wrap = widen_transaction_id(0xFFFF'FFF0u, next);
  std::uint64_t after_wrap = widen_transaction_id(5, next);
  EXPECT_LT(before_wrap, after_wrap);
}

TEST(CoreWidenTransactionId, SpecialIdsBelongToNoEpoch) {
  for (std::uint32_t special : {0u, 1u, 2u}) EXPECT_EQ(widen_transaction_id(special, full(5, 100)), special);
}

TEST(CoreWidenTransactionId, IsConstexpr) { static_assert(widen_transaction_id(10, full(2, 20)) == full(2, 10)); }

}  // namespace
}  // namespace eventstore::core
