// The jsonb model behind the in-memory store: the text reads return, jsonb
// equality and the stored size that eventstore.max_event_size limits. Every
// expected value below was taken from PostgreSQL 15 (`'...'::jsonb::text`,
// `pg_column_size`, `a::jsonb = b::jsonb`).
#include "testing/jsonb_document.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace eventstore::detail {
namespace {

struct ServerAnswer {
  std::string input;
  std::string text;
  std::size_t stored_size;
};

const std::vector<ServerAnswer> server_answers = {
    {"{}", "{}", 8},
    {"[]", "[]", 8},
    {"1", "1", 20},
    {"-1", "-1", 20},
    {"0", "0", 18},
    {"-0", "0", 18},
    {"-0.0", "0.0", 18},
    {"1.50", "1.50", 22},
    {"1e2", "100", 20},
    {"1E-2", "0.01", 20},
    {"0.00e5", "0", 18},
    {"12345678901234567890123", "12345678901234567890123", 30},
    {"123456789012345678901234567890.123456789012345678901234567890",
     "123456789012345678901234567890.123456789012345678901234567890", 50},
    {"1e-300", "0." + std::string(299, '0') + "1", 22},
    {"1e300", "1" + std::string(300, '0'), 22},
    {"0." + std::string(72, '0') + "1", "0." + std::string(72, '0') + "1", 22},
    {"1" + std::string(272, '0'), "1" + std::string(272, '0'), 22},
    {"1.0000", "1.0000", 20},
    {"true", "true", 12},
    {"false", "false", 12},
    {"null", "null", 12},
    {"\"ab\"", "\"ab\"", 14},
    {"\"\"", "\"\"", 12},
    {"\"\xc3"
     "\xa9"
     "\\u00e9\\u20ac\\ud83d\\ude00\"",
     "\"\xc3"
     "\xa9"
     "\xc3"
     "\xa9"
     "\xe2"
     "\x82"
     "\xac"
     "\xf0"
     "\x9f"
     "\x98"
     "\x80"
     "\"",
     23},
    {"\"tab\\tnl\\ncr\\rbs\\bff\\fq\\\"bsl\\\\sl\\/ctl\\u0001\\u001fdel\\u007f\"",
     "\"tab\\tnl\\ncr\\rbs\\bff\\fq\\\"bsl\\\\sl/ctl\\u0001\\u001fdel\x7f"
     "\"",
     46},
    {"{\"b\":1,\"a\":2}", "{\"a\": 2, \"b\": 1}", 44},
    {"{\"a\":1,\"a\":2}", "{\"a\": 2}", 28},
    {"{\"aa\":1,\"b\":2,\"a\":3,\"ab\":[1,2]}", "{\"a\": 3, \"b\": 2, \"aa\": 1, \"ab\": [1, 2]}", 100},
    {"{\"x\":[1,\"a\",{\"k\":2.5}]}", "{\"x\": [1, \"a\", {\"k\": 2.5}]}", 74},
    {"[1,\"x\",{\"k\":2.5}]", "[1, \"x\", {\"k\": 2.5}]", 58},
    {"[\"a\",1,\"bb\",2,\"ccc\",3,\"dddd\",4]", "[\"a\", 1, \"bb\", 2, \"ccc\", 3, \"dddd\", 4]", 88},
    {"{\"a\":\"b\",\"c\":1.5,\"dd\":[true,false,null,-7e-3]}",
     "{\"a\": \"b\", \"c\": 1.5, \"dd\": [true, false, null, -0.007]}", 80},
    {"[[[[]]],{},[{}]]", "[[[[]]], {}, [{}]]", 56},
    {"  { \"spaced\" :  [ 1 , 2 ]  }  ", "{\"spaced\": [1, 2]}", 52},
};

TEST(JsonbDocument, PrintsAndMeasuresAsTheServerDoes) {
  for (const ServerAnswer& answer : server_answers) {
    auto document = parse_jsonb(answer.input);
    ASSERT_TRUE(document) << answer.input << ": " << document.error().describe();
    EXPECT_EQ(document->text, answer.text) << answer.input;
    EXPECT_EQ(document->stored_size, answer.stored_size) << answer.input;
  }
}

TEST(JsonbDocument, TheTextReadsBackToItself) {
  for (const ServerAnswer& answer : server_answers) {
    auto document = parse_jsonb(answer.input);
    ASSERT_TRUE(document);
    auto again = parse_jsonb(document->text);
    ASSERT_TRUE(again) << document->text;
    EXPECT_EQ(again->text, document->text);
    EXPECT_EQ(again->equality_key, document->equality_key);
    EXPECT_EQ(again->stored_size, document->stored_size);
  }
}

TEST(JsonbDocument, EqualExactlyWhenTheServerSaysEqual) {
  struct Comparison {
    std::string left;
    std::string right;
    bool equal;
  };
  const std::vector<Comparison> comparisons = {
      {"1.0", "1", true},
      {R"({"a":1,"b":2})", R"({"b":2,"a":1})", true},
      {"[1,2]", "[2,1]", false},
      {"1", "[1]", false},
      {R"({"a":1,"a":2})", R"({"a":2})", true},
      {R"("\u00e9")", "\"\xc3\xa9\"", true},
      {"1e2", "100.0", true},
      {"0", "-0.0", true},
      {"12345678901234567890123", "12345678901234567890124", false},
      {R"({"a":[1.10]})", R"({"a":[1.1]})", true},
      {"null", R"("null")", false},
      {"{}", "[]", false},
      {"-1", "1", false},
      {"0.1", "1e-1", true},
      {R"({"a":1})", R"({"a":1,"b":null})", false},
  };
  for (const Comparison& comparison : comparisons) {
    auto left = parse_jsonb(comparison.left);
    auto right = parse_jsonb(comparison.right);
    ASSERT_TRUE(left && right) << comparison.left << " / " << comparison.right;
    EXPECT_EQ(left->equality_key == right->equality_key, comparison.equal)
        << comparison.left << " / " << comparison.right;
  }
}

TEST(JsonbDocument, RefusesWhatTheServerRefusesWithItsSqlstate) {
  struct Refusal {
    std::string input;
    std::string sqlstate;
  };
  const std::vector<Refusal> refusals = {
      {"", "22P02"},
      {"   ", "22P02"},
      {"{", "22P02"},
      {R"({"a": })", "22P02"},
      {"[1, 2", "22P02"},
      {"order placed", "22P02"},
      {"{trace: 1}", "22P02"},
      {"01", "22P02"},
      {"+1", "22P02"},
      {"1.", "22P02"},
      {".5", "22P02"},
      {"NaN", "22P02"},
      {"[1,]", "22P02"},
      {"{} {}", "22P02"},
      {"'single'", "22P02"},
      {"\"raw\ncontrol\"", "22P02"},
      {R"("\ud800")", "22P02"},
      {R"("\x")", "22P02"},
      {"/* comment */ {}", "22P02"},
      {"\xEF\xBB\xBF{}", "22P02"},  // a byte order mark
      {R"({"a": "\u0000"})", "22P05"},
      {R"({"\u0000": 1})", "22P05"},
      {"{\"a\": \"\xff\"}", "22021"},
      {std::string("{\"a\": \"\0\"}", 10), "22021"},
      {"\"\xED\xA0\x80\"", "22021"},  // a surrogate encoded as UTF-8
      {"\"\xC0\xAF\"", "22021"},      // overlong
      {"0." + std::string(16'384, '0') + "1", "22003"},
      {"0e1073741823", "22003"},
      {"0e-20000", "22003"},
      {"0.0e-16383", "22003"},
      {std::string(100'000, '['), "54001"},
  };
  for (const Refusal& refusal : refusals) {
    auto document = parse_jsonb(refusal.input);
    ASSERT_FALSE(document) << refusal.input.substr(0, 40);
    EXPECT_EQ(document.error().sqlstate(), refusal.sqlstate) << refusal.input.substr(0, 40);
    EXPECT_FALSE(document.error().message().empty());
  }
}

TEST(JsonbDocument, NumbersAtTheEdgesOfNumericAreAccepted) {
  // Each accepted by the server, with this printed length.
  for (auto [input, length] :
       std::vector<std::pair<std::string, std::size_t>>{{"0e1073741822", 1},
                                                        {"0e500000000", 1},
                                                        {"0.0e16383", 1},
                                                        {"1e-16383", 16'385},
                                                        {"0e-16383", 16'385},
                                                        {"0." + std::string(16'382, '0') + "1", 16'385}}) {
    auto document = parse_jsonb(input);
    ASSERT_TRUE(document) << input.substr(0, 20) << ": " << document.error().describe();
    EXPECT_EQ(document->text.size(), length) << input.substr(0, 20);
  }
}

TEST(JsonbDocument, NestingUpToTheLimitIsAccepted) {
  auto nested = [](std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  EXPECT_TRUE(parse_jsonb(nested(max_jsonb_nesting)));
  auto too_deep = parse_jsonb(nested(max_jsonb_nesting + 1));
  ASSERT_FALSE(too_deep);
  EXPECT_EQ(too_deep.error().code(), ErrorCode::invalid_json);
  EXPECT_EQ(too_deep.error().sqlstate(), "54001");
}

TEST(JsonbDocument, AStringOfNBytesIsStoredInNPlusTwelve) {
  // The size behind the 1 MiB boundary tests of the conformance suite.
  for (std::size_t length : {0u, 1u, 3u, 1'000u, 1'048'564u}) {
    auto document = parse_jsonb("\"" + std::string(length, 'x') + "\"");
    ASSERT_TRUE(document);
    EXPECT_EQ(document->stored_size, length + 12);
  }
}

}  // namespace
}  // namespace eventstore::detail
