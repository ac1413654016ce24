#include <gtest/gtest.h>

#include <array>
#include <cstdint>

#include "eventstore/core/uuid_v7.hpp"

namespace eventstore::core {
namespace {

using Random = std::array<std::uint8_t, 10>;

constexpr Random random_bytes(std::uint8_t fill) {
  Random random{};
  random.fill(fill);
  return random;
}

TEST(CoreUuidV7, CarriesVersionVariantTimeAndRandomBits) {
  UuidV7Generator generator;
  Random random{0x00, 0x00, 0xFF, 3, 4, 5, 6, 7, 8, 9};
  UuidBytes uuid = generator.next(0x0123'4567'89AB, random);
  EXPECT_EQ(uuid_v7_milliseconds(uuid), 0x0123'4567'89ABu);
  EXPECT_EQ(uuid[6] >> 4, 7);       // version
  EXPECT_EQ(uuid[8] >> 6, 0b10);    // variant
  EXPECT_EQ(uuid[8] & 0x3F, 0x3F);  // random bits under the variant
  for (int i = 9; i < 16; ++i) EXPECT_EQ(uuid[i], random[i - 6]);
}

TEST(CoreUuidV7, StrictlyIncreasingWithinOneMillisecond) {
  UuidV7Generator generator;
  UuidBytes previous = generator.next(1'000, random_bytes(0xFF));
  for (int i = 0; i < 1'000; ++i) {
    // Falling random bytes would break a generator that relied on them for order.
    UuidBytes next = generator.next(1'000, random_bytes(static_cast<std::uint8_t>(255 - i % 256)));
    ASSERT_LT(previous, next) << i;
    EXPECT_EQ(uuid_v7_milliseconds(next), 1'000u);
    previous = next;
  }
}

TEST(CoreUuidV7, StrictlyIncreasingAcrossMilliseconds) {
  UuidV7Generator generator;
  UuidBytes first = generator.next(1'000, random_bytes(0xFF));
  UuidBytes second = generator.next(1'001, random_bytes(0x00));
  EXPECT_LT(first, second);
  EXPECT_EQ(uuid_v7_milliseconds(second), 1'001u);
}

TEST(CoreUuidV7, ClockGoingBackKeepsOrderAndTime) {
  UuidV7Generator generator;
  UuidBytes first = generator.next(5'000, random_bytes(0x10));
  UuidBytes second = generator.next(4'000, random_bytes(0xFF));
  UuidBytes third = generator.next(4'999, random_bytes(0xFF));
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_EQ(uuid_v7_milliseconds(second), 5'000u);
  EXPECT_EQ(uuid_v7_milliseconds(third), 5'000u);
}

TEST(CoreUuidV7, CounterOverflowBorrowsTheNextMillisecond) {
  UuidV7Generator generator;
  // 0xFF bytes start the counter as high as it starts (0x1FF): fewest ids before it runs out.
  UuidBytes previous = generator.next(7'000, random_bytes(0xFF));
  bool borrowed = false;
  for (int i = 0; i < 5'000; ++i) {
    UuidBytes next = generator.next(7'000, random_bytes(0xFF));
    ASSERT_LT(previous, next) << i;
    if (uuid_v7_milliseconds(next) == 7'001u) borrowed = true;
    ASSERT_LE(uuid_v7_milliseconds(next), 7'002u);
    previous = next;
  }
  EXPECT_TRUE(borrowed);
  // When the real clock reaches the borrowed millisecond, ids still increase.
  std::uint64_t borrowed_until = uuid_v7_milliseconds(previous);
  UuidBytes caught_up = generator.next(borrowed_until, random_bytes(0x00));
  EXPECT_LT(previous, caught_up);
  UuidBytes later = generator.next(borrowed_until + 1, random_bytes(0x00));
  EXPECT_LT(caught_up, later);
}

TEST(CoreUuidV7, CounterRestartsLowInANewMillisecond) {
  UuidV7Generator generator;
  UuidBytes uuid = generator.next(9'000, random_bytes(0xFF));
  int counter = ((uuid[6] & 0x0F) << 8) | uuid[7];
  EXPECT_EQ(counter, 0x1FF);  // the starting counter never exceeds 9 bits
}

}  // namespace
}  // namespace eventstore::core
