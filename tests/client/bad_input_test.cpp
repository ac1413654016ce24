// Bad input of every kind: each gets its typed error (with the documented
// SQLSTATE when the server found it) and writes nothing.
#include <gtest/gtest.h>

#include <functional>

#include "event_factory.hpp"
#include "sql_session.hpp"
#include "test_database.hpp"

namespace eventstore {
namespace {

using namespace testing_support;
using namespace std::string_literals;

struct BadInput {
  std::string what;
  ErrorCode code;
  // The SQLSTATE the server sends; empty when the client refuses before sending.
  std::string sqlstate;
  std::function<std::optional<Error>(Client&)> attempt;
};

template <class T>
std::optional<Error> error_of(Result<T> result) {
  if (result) return std::nullopt;
  return std::move(result.error());
}

class BadInputTest : public ClientTest {
 protected:
  void SetUp() override {
    ClientTest::SetUp();
    if (HasFatalFailure()) return;
    existing_ = stream("bad", "existing");
    existing_event_ = EventData::create("Created", R"({"amount": 1})");
    ASSERT_TRUE(client().append(existing_, ExpectedVersion::no_stream(), existing_event_));
  }

  StreamName fresh() const { return stream("bad", "fresh"); }

  std::vector<BadInput> bad_inputs() {
    auto append_one = [this](std::string type, std::string data, std::string metadata = {}) {
      return [this, type, data, metadata](Client& client) {
        return error_of(client.append(fresh(), ExpectedVersion::any(), EventData::create(type, data, metadata)));
      };
    };
    EventData repeated = EventData::create("Happened", "{}");
    std::vector<EventData> too_many = make_events(10'001);
    std::vector<EventData> last_one_bad = make_events(3);
    last_one_bad[2].data = "{not json";
    std::string nested_too_deep(100'000, '[');

    return {
        {"data malformed", ErrorCode::invalid_json, "22P02", append_one("A", R"({"a": })")},
        {"data truncated", ErrorCode::invalid_json, "22P02", append_one("A", "[1, 2")},
        {"data not JSON", ErrorCode::invalid_json, "22P02", append_one("A", "order placed")},
        {"data empty", ErrorCode::invalid_json, "22P02", append_one("A", "")},
        {"metadata malformed", ErrorCode::invalid_json, "22P02", append_one("A", "{}", "{trace: 1}")},
        {"data with \\u0000", ErrorCode::invalid_json, "22P05", append_one("A", R"({"a": "\u0000"})")},
        {"data not UTF-8", ErrorCode::invalid_json, "22021", append_one("A", "{\"a\": \"\xff\"}")},
        {"data nested too deep", ErrorCode::invalid_json, "54001", append_one("A", nested_too_deep)},
        {"event larger than max_event_size", ErrorCode::event_too_large, "22V04",
         append_one("A", R"({"blob": ")" + std::string(1'100'000, 'x') + R"("})")},
        {"more than max_append_events", ErrorCode::too_many_events, "22V05",
         [this, too_many](Client& client) {
           return error_of(client.append(fresh(), ExpectedVersion::any(), too_many));
         }},
        {"no events", ErrorCode::no_events, "22V06",
         [this](Client& client) {
           return error_of(client.append(fresh(), ExpectedVersion::any(), std::span<const EventData>{}));
         }},
        {"one id twice in one append", ErrorCode::duplicate_event_id, "22V07",
         [this, repeated](Client& client) {
           std::vector<EventData> events = {repeated, EventData{repeated.id, "Other", "{}"}};
           return error_of(client.append(fresh(), ExpectedVersion::any(), events));
         }},
        {"id reused with another payload", ErrorCode::event_id_reused, "23V02",
         [this](Client& client) {
           return error_of(client.append(existing_, ExpectedVersion::any(),
                                         EventData{existing_event_.id, "Created", R"({"amount": 2})"}));
         }},
        {"id reused in another stream", ErrorCode::event_id_reused, "23V02",
         [this](Client& client) { return error_of(client.append(fresh(), ExpectedVersion::any(), existing_event_)); }},
        {"last event of three is bad", ErrorCode::invalid_json, "22P02",
         [this, last_one_bad](Client& client) {
           return error_of(client.append(fresh(), ExpectedVersion::any(), last_one_bad));
         }},
        {"wrong exact version", ErrorCode::wrong_expected_version, "23V01",
         [this](Client& client) {
           return error_of(client.append(existing_, ExpectedVersion::exactly(StreamVersion{5}), make_events(1)));
         }},
        {"stream exists, but it does not", ErrorCode::wrong_expected_version, "23V01",
         [this](Client& client) {
           return error_of(client.append(fresh(), ExpectedVersion::stream_exists(), make_events(1)));
         }},
        {"read: max_count 0", ErrorCode::invalid_argument, "22V08",
         [this](Client& client) { return error_of(client.read_stream(existing_, {.max_count = 0})); }},
        {"read: negative from_version", ErrorCode::invalid_argument, "22V08",
         [this](Client& client) {
           return error_of(client.read_stream(existing_, {.from = StreamVersion{-2}, .max_count = 10}));
         }},
        {"read_all: negative max_count", ErrorCode::invalid_argument, "22V08",
         [](Client& client) { return error_of(client.read_all(std::nullopt, -5)); }},
        {"read_category: with '-'", ErrorCode::invalid_argument, "22V08",
         [](Client& client) { return error_of(client.read_category("a-b", std::nullopt, 10)); }},
        {"read_category: empty", ErrorCode::invalid_argument, "22V08",
         [](Client& client) { return error_of(client.read_category("", std::nullopt, 10)); }},
        // Refused by the client with the server's rules, before a round trip.
        {"event type empty", ErrorCode::invalid_event_type, "", append_one("", "{}")},
        {"event type with a newline", ErrorCode::invalid_event_type, "", append_one("A\nB", "{}")},
        {"event type 256 bytes", ErrorCode::invalid_event_type, "", append_one(std::string(256, 't'), "{}")},
        {"event type not UTF-8", ErrorCode::invalid_event_type, "", append_one("\xC0\xAF", "{}")},
        {"expected version exactly(-3)", ErrorCode::invalid_expected_version, "",
         [this](Client& client) {
           return error_of(client.append(fresh(), ExpectedVersion::exactly(StreamVersion{-3}), make_events(1)));
         }},
        {"expected version from value -5", ErrorCode::invalid_expected_version, "",
         [](Client&) { return error_of(ExpectedVersion::from_value(-5)); }},
        {"stream name empty", ErrorCode::invalid_stream_name, "",
         [](Client&) { return error_of(StreamName::from("")); }},
        {"stream name 256 bytes", ErrorCode::invalid_stream_name, "",
         [](Client&) { return error_of(StreamName::from(std::string(256, 's'))); }},
        {"stream name with a control character", ErrorCode::invalid_stream_name, "",
         [](Client&) { return error_of(StreamName::from("bad\x01")); }},
        {"stream name not UTF-8", ErrorCode::invalid_stream_name, "",
         [](Client&) { return error_of(StreamName::from("bad\xED\xA0\x80")); }},
        {"type filter with a control character", ErrorCode::invalid_event_type, "",
         [](Client& client) {
           return error_of(client.read_all(std::nullopt, 10, {"Ok", "Bad\x7f"}));
         }},
        {"category not UTF-8", ErrorCode::invalid_argument, "",
         [](Client& client) { return error_of(client.read_category("cat\xff", std::nullopt, 10)); }},
        {"event id malformed", ErrorCode::invalid_argument, "",
         [](Client&) { return error_of(EventId::parse("not-a-uuid")); }},
    };
  }

  StreamName existing_ = stream_name("placeholder");
  EventData existing_event_ = EventData::create("Created", "{}");
};

TEST_F(BadInputTest, EachGetsItsTypedErrorAndWritesNothing) {
  std::vector<BadInput> inputs = bad_inputs();
  ASSERT_GE(inputs.size(), 12u);
  int server_side = 0;
  for (const BadInput& input : inputs) {
    SCOPED_TRACE(input.what);
    long long events_before = sql().count("eventstore.events");
    long long streams_before = sql().count("eventstore.streams");
    std::optional<Error> error = input.attempt(client());
    ASSERT_TRUE(error.has_value()) << "accepted";
    EXPECT_EQ(error->code(), input.code) << error->describe();
    EXPECT_EQ(error->sqlstate(), input.sqlstate) << error->describe();
    EXPECT_FALSE(error->message().empty());
    EXPECT_FALSE(error->retryable());
    EXPECT_EQ(sql().count("eventstore.events"), events_before);
    EXPECT_EQ(sql().count("eventstore.streams"), streams_before);
    if (!input.sqlstate.empty()) ++server_side;
  }
  EXPECT_GE(server_side, 12);
  // The connection is still good after all of them.
  auto version = client().stream_version(existing_);
  ASSERT_TRUE(version) << version.error().describe();
  EXPECT_EQ(*version, StreamVersion{0});
  auto fresh_version = client().stream_version(fresh());
  ASSERT_TRUE(fresh_version);
  EXPECT_EQ(*fresh_version, StreamVersion::no_stream());
}

}  // namespace
}  // namespace eventstore
