// The Redis encoding of a value: its position prefix compares as strings in
// the order LogPosition compares (what the Lua scripts rely on).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>

#include "redis_value_encoding.hpp"

namespace {

using eventstore::GlobalPosition;
using eventstore::LogPosition;
using eventstore::cache::CachedValue;
using eventstore::cache::decode_value;
using eventstore::cache::encode_position;
using eventstore::cache::encode_value;

TEST(RedisValueEncoding, RoundTrips) {
  CachedValue value{std::string("bytes\0with zero", 15), LogPosition{123, GlobalPosition{-5}}};
  auto decoded = decode_value(encode_value(value));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, value);
  EXPECT_FALSE(decode_value("not ours").has_value());
}

TEST(RedisValueEncoding, PositionsCompareAsStringsInLogOrder) {
  std::mt19937_64 random(7);
  const std::uint64_t edges[] = {0, 1, 9, 10, std::numeric_limits<std::uint64_t>::max()};
  auto pick = [&](int i) {
    const auto transaction = i % 3 == 0 ? edges[random() % 5] : random() % 1000;
    const auto position = static_cast<std::int64_t>(i % 5 == 0 ? random() : random() % 1000) * (i % 2 ? 1 : -1);
    return LogPosition{transaction, GlobalPosition{position}};
  };
  for (int i = 0; i < 10'000; ++i) {
    const auto a = pick(i);
    const auto b = pick(i + 1);
    EXPECT_EQ(a < b, encode_position(a) < encode_position(b));
    EXPECT_EQ(a == b, encode_position(a) == encode_position(b));
  }
}

}  // namespace
