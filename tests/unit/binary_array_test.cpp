#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "postgres/pq/binary_array.hpp"
#include "postgres/pq/binary_format.hpp"
#include "postgres/pq/type_oids.hpp"

namespace eventstore::detail::pq {
namespace {

using namespace std::string_literals;

// What array_recv would read from the bytes: checked strictly, so that any
// stray or missing byte fails the test.
struct DecodedArray {
  std::int32_t dimensions = 0;
  std::int32_t has_null = 0;
  std::uint32_t element_type = 0;
  std::vector<std::optional<std::string>> elements;
};

DecodedArray decode(const std::string& bytes) {
  DecodedArray array;
  std::size_t at = 0;
  auto take_int32 = [&] {
    EXPECT_LE(at + 4, bytes.size());
    auto value = static_cast<std::int32_t>(binary_format::read_uint32(bytes.data() + at));
    at += 4;
    return value;
  };
  array.dimensions = take_int32();
  array.has_null = take_int32();
  array.element_type = static_cast<std::uint32_t>(take_int32());
  std::int32_t count = 0;
  if (array.dimensions == 1) {
    count = take_int32();
    EXPECT_EQ(take_int32(), 1);  // lower bound
  }
  for (std::int32_t i = 0; i < count; ++i) {
    std::int32_t length = take_int32();
    if (length < 0) {
      array.elements.emplace_back(std::nullopt);
      continue;
    }
    array.elements.emplace_back(bytes.substr(at, static_cast<std::size_t>(length)));
    at += static_cast<std::size_t>(length);
  }
  EXPECT_EQ(at, bytes.size()) << "trailing bytes";
  return array;
}

const std::vector<std::string> hostile_strings = {
    "",
    "plain",
    "\"",
    "\"quoted\"",
    "'single'",
    "\\",
    "back\\slash\\\\",
    "{",
    "}",
    "{a,b}",
    "a,b,c",
    ",",
    "NULL",
    "null",
    "\"NULL\"",
    " leading and trailing ",
    "\t\n\r",
    "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
    "\\\"{},NULL",
    "embedded\0nul"s,
    std::string(70'000, 'x'),
};

TEST(BinaryArray, GoldenBytesOfATextArrayWithANull) {
  BinaryArrayBuilder builder(type_oid::text, 2);
  builder.add("a");
  builder.add_null();
  std::string bytes = std::move(builder).finish();
  const std::string expected =
      "\x00\x00\x00\x01"  // one dimension
      "\x00\x00\x00\x01"  // has NULLs
      "\x00\x00\x00\x19"  // text (oid 25)
      "\x00\x00\x00\x02"  // two elements
      "\x00\x00\x00\x01"  // lower bound 1
      "\x00\x00\x00\x01"
      "a"
      "\xFF\xFF\xFF\xFF"s;  // NULL
  EXPECT_EQ(bytes, expected);
}

TEST(BinaryArray, EmptyArrayHasNoDimensions) {
  std::string bytes = BinaryArrayBuilder(type_oid::text, 0).finish();
  EXPECT_EQ(bytes, "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x19"s);
}

TEST(BinaryArray, HostileStringsTravelVerbatim) {
  BinaryArrayBuilder builder(type_oid::text, hostile_strings.size());
  for (const std::string& text : hostile_strings) builder.add(text);
  DecodedArray array = decode(std::move(builder).finish());
  EXPECT_EQ(array.dimensions, 1);
  EXPECT_EQ(array.has_null, 0);
  EXPECT_EQ(array.element_type, type_oid::text);
  ASSERT_EQ(array.elements.size(), hostile_strings.size());
  for (std::size_t i = 0; i < hostile_strings.size(); ++i) {
    ASSERT_TRUE(array.elements[i].has_value()) << i;
    EXPECT_EQ(*array.elements[i], hostile_strings[i]) << i;
  }
}

TEST(BinaryArray, NullLookingTextIsNotNull) {
  BinaryArrayBuilder builder(type_oid::text, 3);
  builder.add("NULL");
  builder.add_null();
  builder.add("");
  DecodedArray array = decode(std::move(builder).finish());
  EXPECT_EQ(array.has_null, 1);
  ASSERT_EQ(array.elements.size(), 3u);
  EXPECT_EQ(array.elements[0], "NULL");
  EXPECT_EQ(array.elements[1], std::nullopt);
  EXPECT_EQ(array.elements[2], "");
}

TEST(BinaryArray, JsonbElementsCarryTheVersionByte) {
  BinaryArrayBuilder builder(type_oid::jsonb, hostile_strings.size());
  for (const std::string& text : hostile_strings) builder.add_with_prefix(binary_format::jsonb_version, text);
  DecodedArray array = decode(std::move(builder).finish());
  EXPECT_EQ(array.element_type, type_oid::jsonb);
  ASSERT_EQ(array.elements.size(), hostile_strings.size());
  for (std::size_t i = 0; i < hostile_strings.size(); ++i)
    EXPECT_EQ(*array.elements[i], "\x01"s + hostile_strings[i]) << i;
}

TEST(BinaryFormat, IntegersInNetworkOrder) {
  std::string bytes;
  binary_format::append_int64(bytes, -2);
  binary_format::append_uint64(bytes, 0x0102030405060708u);
  binary_format::append_int32(bytes, 258);
  EXPECT_EQ(bytes, "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFE\x01\x02\x03\x04\x05\x06\x07\x08\x00\x00\x01\x02"s);
  EXPECT_EQ(binary_format::read_int64(bytes.data()), -2);
  EXPECT_EQ(binary_format::read_uint64(bytes.data() + 8), 0x0102030405060708u);
  EXPECT_EQ(binary_format::read_uint32(bytes.data() + 16), 258u);
}

}  // namespace
}  // namespace eventstore::detail::pq
