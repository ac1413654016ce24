#include <gtest/gtest.h>

#include <string>

#include "eventstore/core/utf8.hpp"

namespace eventstore::core {
namespace {

using namespace std::string_literals;

TEST(CoreUtf8, DecodesOneToFourBytes) {
  EXPECT_EQ(decode_utf8("a", 0).code_point, U'a');
  EXPECT_EQ(decode_utf8("a", 0).length, 1U);
  EXPECT_EQ(decode_utf8("\xC3\xA9", 0).code_point, U'\u00E9');
  EXPECT_EQ(decode_utf8("\xC3\xA9", 0).length, 2U);
  EXPECT_EQ(decode_utf8("\xE2\x82\xAC", 0).code_point, U'\u20AC');
  EXPECT_EQ(decode_utf8("\xE2\x82\xAC", 0).length, 3U);
  EXPECT_EQ(decode_utf8("\xF0\x9F\x98\x80", 0).code_point, U'\U0001F600');
  EXPECT_EQ(decode_utf8("\xF0\x9F\x98\x80", 0).length, 4U);
  EXPECT_EQ(decode_utf8("x\xC3\xA9", 1).code_point, U'\u00E9');
}

TEST(CoreUtf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ASCII"));
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_TRUE(is_valid_utf8("\x00"s));             // NUL is UTF-8; PostgreSQL refuses it elsewhere
}

// What pg_utf8_islegal refuses.
TEST(CoreUtf8, RefusesWhatPostgresqlRefuses) {
  for (std::string bad :
       {"\x80"s, "\xBF"s, "\xC0\x80"s, "\xC1\xBF"s, "\xE0\x80\x80"s, "\xE0\x9F\xBF"s, "\xED\xA0\x80"s, "\xED\xBF\xBF"s,
        "\xF0\x80\x80\x80"s, "\xF0\x8F\xBF\xBF"s, "\xF4\x90\x80\x80"s, "\xF5\x80\x80\x80"s, "\xFF"s, "\xC3"s,
        "\xE2\x82"s, "\xF0\x9F\x98"s, "\xC3("s, "ok\xE2\x28\xA1"s}) {
    EXPECT_FALSE(is_valid_utf8(bad)) << testing::PrintToString(bad);
  }
  EXPECT_EQ(decode_utf8("\xC3", 0).length, 0U);
}

}  // namespace
}  // namespace eventstore::core
