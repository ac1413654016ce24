#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "postgres/pq/binary_parameters.hpp"

namespace eventstore::detail::pq {
namespace {

using namespace std::string_literals;

TEST(BinaryParameters, AllBinaryAndLaidOutForLibpq) {
  BinaryParameters<4> parameters;
  std::string name = "order-42";
  parameters.set_text(0, name);
  parameters.set_int64(1, -2);
  parameters.set_int32(2, 1000);
  parameters.set_uint64(3, 0x0000'0001'0000'02E9u);
  EXPECT_EQ(parameters.count(), 4);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(parameters.formats()[i], 1);
  EXPECT_EQ(parameters.values()[0], name.data());  // borrowed, not copied
  EXPECT_EQ(parameters.lengths()[0], 8);
  EXPECT_EQ(std::string(parameters.values()[1], 8), "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFE"s);
  EXPECT_EQ(std::string(parameters.values()[2], 4), "\x00\x00\x03\xE8"s);
  EXPECT_EQ(std::string(parameters.values()[3], 8), "\x00\x00\x00\x01\x00\x00\x02\xE9"s);
}

TEST(BinaryParameters, EmptyIsNotNull) {
  BinaryParameters<3> parameters;
  parameters.set_text(0, std::string_view{});  // a null data pointer
  parameters.set_encoded(1, std::string{});
  parameters.set_null(2);
  EXPECT_NE(parameters.values()[0], nullptr);
  EXPECT_EQ(parameters.lengths()[0], 0);
  EXPECT_NE(parameters.values()[1], nullptr);
  EXPECT_EQ(parameters.values()[2], nullptr);  // what libpq sends as SQL NULL
}

TEST(BinaryParameters, EncodedBytesAreOwned) {
  BinaryParameters<1> parameters;
  {
    std::string temporary = "\x00\x01\x02"s;
    parameters.set_encoded(0, std::move(temporary));
  }
  EXPECT_EQ(std::string(parameters.values()[0], 3), "\x00\x01\x02"s);
}

}  // namespace
}  // namespace eventstore::detail::pq
