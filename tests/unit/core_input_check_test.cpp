#include <gtest/gtest.h>

#include <limits>
#include <set>
#include <string>

#include "eventstore/core/input_check.hpp"

namespace eventstore::core {
namespace {

using namespace std::string_literals;

TEST(CoreStreamName, AcceptsOrdinaryNames) {
  EXPECT_EQ(check_stream_name("order-42"), std::nullopt);
  EXPECT_EQ(check_stream_name("a"), std::nullopt);
  EXPECT_EQ(check_stream_name("with space and \"quotes\", {braces} \\ back"), std::nullopt);
}

TEST(CoreStreamName, RejectsEmpty) { EXPECT_EQ(check_stream_name(""), InputProblem::stream_name_empty); }

TEST(CoreStreamName, LimitIs255Bytes) {
  EXPECT_EQ(check_stream_name(std::string(255, 's')), std::nullopt);
  EXPECT_EQ(check_stream_name(std::string(256, 's')), InputProblem::stream_name_too_long);
}

TEST(CoreStreamName, LimitCountsBytesNotCharacters) {
  std::string two_byte_characters;
  for (int i = 0; i < 127; ++i) two_byte_characters += "\xC3\xA9";  // é
  EXPECT_EQ(check_stream_name(two_byte_characters), std::nullopt);  // 254 bytes
  two_byte_characters += "\xC3\xA9";
  EXPECT_EQ(check_stream_name(two_byte_characters), InputProblem::stream_name_too_long);  // 256 bytes
}

TEST(CoreStreamName, AcceptsMultibyteUtf8) {
  EXPECT_EQ(check_stream_name("caf\xC3\xA9-\xE2\x82\xAC-\xF0\x9F\x98\x80"), std::nullopt);  // é € 😀
  EXPECT_EQ(check_stream_name("\xF4\x8F\xBF\xBF"), std::nullopt);                           // U+10FFFF
}

TEST(CoreStreamName, RejectsControlCharacters) {
  for (std::string name :
       {"a\nb"s, "a\tb"s, "a\x01"s, "a\x1F"s, "a\x7F"s, "a\0b"s, "a\xC2\x80"s, "a\xC2\x85"s, "a\xC2\x9F"s})
    EXPECT_EQ(check_stream_name(name), InputProblem::stream_name_control_character) << name;
  EXPECT_EQ(check_stream_name("a\xC2\xA0"s), std::nullopt);  // U+00A0 is past the C1 block
}

TEST(CoreStreamName, RejectsInvisibleAndDirectionChangingCharacters) {
  for (std::string name : {"zero\xE2\x80\x8Bwidth"s,  // U+200B zero width space
                           "rtl\xE2\x80\xAE-1"s,      // U+202E right-to-left override
                           "isolate\xE2\x81\xA6"s,    // U+2066 left-to-right isolate
                           "joiner\xE2\x81\xA0"s,     // U+2060 word joiner
                           "\xEF\xBB\xBF"
                           "bom"s,                   // U+FEFF byte order mark
                           "line\xE2\x80\xA8sep"s})  // U+2028 line separator
    EXPECT_EQ(check_stream_name(name), InputProblem::stream_name_invisible_character) << name;
  EXPECT_EQ(check_stream_name("dash\xE2\x80\x94ok"s), std::nullopt);  // U+2014 em dash is visible
  EXPECT_EQ(check_event_type("Order\xE2\x80\x8CPlaced"s), InputProblem::event_type_invisible_character);
}

TEST(CoreStreamName, RejectsAnEmptyCategory) {
  EXPECT_EQ(check_stream_name("-"), InputProblem::stream_name_empty_category);
  EXPECT_EQ(check_stream_name("-x"), InputProblem::stream_name_empty_category);
  EXPECT_EQ(check_stream_name("x-"), std::nullopt);
  EXPECT_EQ(check_stream_name("x--y"), std::nullopt);
  EXPECT_EQ(check_event_type("-Typed"), std::nullopt);  // event types have no category
}

TEST(CoreStreamName, RejectsInvalidUtf8) {
  for (std::string name : {
           "\x80"s,              // continuation byte without a lead
           "a\xC3"s,             // truncated two-byte sequence
           "\xE2\x82"s,          // truncated three-byte sequence
           "\xC0\xAF"s,          // overlong lead byte
           "\xC1\xBF"s,          // overlong lead byte
           "\xE0\x80\xAF"s,      // overlong three-byte sequence
           "\xF0\x80\x80\xAF"s,  // overlong four-byte sequence
           "\xED\xA0\x80"s,      // UTF-16 surrogate
           "\xF4\x90\x80\x80"s,  // above U+10FFFF
           "\xF5\x80\x80\x80"s,  // impossible lead byte
           "\xFF"s,              // impossible byte
           "\xC3\x28"s,          // lead byte followed by ASCII
       })
    EXPECT_EQ(check_stream_name(name), InputProblem::stream_name_invalid_utf8) << testing::PrintToString(name);
}

TEST(CoreEventType, SameRulesWithItsOwnProblems) {
  EXPECT_EQ(check_event_type("OrderPlaced"), std::nullopt);
  EXPECT_EQ(check_event_type(""), InputProblem::event_type_empty);
  EXPECT_EQ(check_event_type(std::string(255, 't')), std::nullopt);
  EXPECT_EQ(check_event_type(std::string(256, 't')), InputProblem::event_type_too_long);
  EXPECT_EQ(check_event_type("A\tB"), InputProblem::event_type_control_character);
  EXPECT_EQ(check_event_type("A\xC2\x85"), InputProblem::event_type_control_character);
  EXPECT_EQ(check_event_type("\xC0\xAF"), InputProblem::event_type_invalid_utf8);
}

TEST(CoreExpectedVersionCheck, AcceptsTheFourKinds) {
  for (std::int64_t value : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{-2}, std::int64_t{-4},
                             std::numeric_limits<std::int64_t>::max()})
    EXPECT_EQ(check_expected_version(value), std::nullopt) << value;
}

TEST(CoreExpectedVersionCheck, RejectsEverythingElse) {
  for (std::int64_t value :
       {std::int64_t{-3}, std::int64_t{-5}, std::int64_t{-100}, std::numeric_limits<std::int64_t>::min()})
    EXPECT_EQ(check_expected_version(value), InputProblem::expected_version_invalid) << value;
}

TEST(CoreCategory, IsTheNameUpToTheFirstDash) {
  EXPECT_EQ(category_of("order-42"), "order");
  EXPECT_EQ(category_of("order-42-line-3"), "order");
  EXPECT_EQ(category_of("order"), "order");
  EXPECT_EQ(category_of("-42"), "");
  EXPECT_EQ(category_of("order-"), "order");
}

TEST(CoreDescribe, EveryProblemHasItsOwnSentence) {
  const InputProblem all[] = {InputProblem::stream_name_empty,
                              InputProblem::stream_name_too_long,
                              InputProblem::stream_name_control_character,
                              InputProblem::stream_name_invalid_utf8,
                              InputProblem::event_type_empty,
                              InputProblem::event_type_too_long,
                              InputProblem::event_type_control_character,
                              InputProblem::event_type_invalid_utf8,
                              InputProblem::expected_version_invalid};
  std::set<std::string> sentences;
  for (InputProblem problem : all) sentences.insert(describe(problem));
  EXPECT_EQ(sentences.size(), std::size(all));
}

}  // namespace
}  // namespace eventstore::core
