#include <gtest/gtest.h>

#include <string>

#include "eventstore/store/stream_name.hpp"

namespace eventstore {
namespace {

TEST(StreamName, AcceptsAValidName) {
  auto name = StreamName::from("order-42");
  ASSERT_TRUE(name) << name.error().describe();
  EXPECT_EQ(name->value(), "order-42");
  EXPECT_EQ(name->category(), "order");
}

TEST(StreamName, RejectsWhatTheServerRejects) {
  for (std::string bad :
       {std::string{}, std::string(256, 'x'), std::string{"a\nb"}, std::string{"\xC0\xAF"}, std::string{"a\0b", 3}}) {
    auto name = StreamName::from(bad);
    ASSERT_FALSE(name) << testing::PrintToString(bad);
    EXPECT_EQ(name.error().code(), ErrorCode::invalid_stream_name);
    EXPECT_TRUE(name.error().sqlstate().empty());  // found by the client
    EXPECT_FALSE(name.error().message().empty());
    EXPECT_FALSE(name.error().retryable());
  }
}

TEST(StreamName, KeepsHostileButValidCharactersVerbatim) {
  std::string hostile = R"(it's "quoted", {braced} \back\ NULL ü€😀)";
  auto name = StreamName::from(hostile);
  ASSERT_TRUE(name);
  EXPECT_EQ(name->value(), hostile);
}

TEST(StreamName, ComparesByValue) {
  auto a = StreamName::from("a-1");
  auto b = StreamName::from("b-1");
  auto a_again = StreamName::from("a-1");
  ASSERT_TRUE(a && b && a_again);
  EXPECT_EQ(*a, *a_again);
  EXPECT_NE(*a, *b);
  EXPECT_LT(*a, *b);
}

}  // namespace
}  // namespace eventstore
