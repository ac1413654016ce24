// Bad input the conformance suite does not cover: each gets its typed error
// (with the documented SQLSTATE when the server found it) and writes nothing,
// counted in the rows of eventstore.events and eventstore.streams.
//
// The other bad inputs live in the conformance suite's table
// (EventStoreConformance.BadInputGetsItsTypedErrorAndWritesNothing in
// tests/conformance/event_store_conformance.cpp), which
// tests/client/conformance/server_conformance_test.cpp runs against the
// server through the client, asserting the same code, SQLSTATE, message and
// retryability, and that nothing is written: malformed, truncated, non-JSON
// and empty data; malformed metadata; data with \u0000; data not UTF-8; data
// nested too deep; an event larger than max_event_size; no events; one id
// twice in one append; an id reused with another payload or in another
// stream; a wrong exact version; read_stream with max_count 0 or a negative
// from; read_all with a negative max_count; read_category with a '-' or
// empty; an event type empty, with a newline, of 256 bytes or not UTF-8;
// expected version exactly(-3); a type filter with a control character; a
// category not UTF-8.
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
    ASSERT_TRUE(
        client().append(existing_, ExpectedVersion::no_stream(), EventData::create("Created", R"({"amount": 1})")));
  }

  StreamName fresh() const { return stream("bad", "fresh"); }

  std::vector<BadInput> bad_inputs() {
    std::vector<EventData> too_many = make_events(10'001);
    std::vector<EventData> last_one_bad = make_events(3);
    last_one_bad[2].data = "{not json";

    return {
        {"more than max_append_events", ErrorCode::too_many_events, "22V05",
         [this, too_many](Client& client) {
           return error_of(client.append(fresh(), ExpectedVersion::any(), too_many));
         }},
        {"last event of three is bad", ErrorCode::invalid_json, "22P02",
         [this, last_one_bad](Client& client) {
           return error_of(client.append(fresh(), ExpectedVersion::any(), last_one_bad));
         }},
        {"stream exists, but it does not", ErrorCode::wrong_expected_version, "23V01",
         [this](Client& client) {
           return error_of(client.append(fresh(), ExpectedVersion::stream_exists(), make_events(1)));
         }},
        // Refused by the client with the server's rules, before a round trip.
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
        {"event id malformed", ErrorCode::invalid_argument, "",
         [](Client&) { return error_of(EventId::parse("not-a-uuid")); }},
    };
  }

  StreamName existing_ = stream_name("placeholder");
};

TEST_F(BadInputTest, EachGetsItsTypedErrorAndWritesNothing) {
  std::vector<BadInput> inputs = bad_inputs();
  ASSERT_GE(inputs.size(), 9u);
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
  EXPECT_GE(server_side, 3);
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
