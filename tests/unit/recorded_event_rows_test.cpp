// Decoding of read results, on results built in memory with libpq's own
// result constructors (no server).
#include <gtest/gtest.h>

#include <libpq-fe.h>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "postgres/pq/binary_format.hpp"
#include "postgres/pq/libpq_handles.hpp"
#include "postgres/pq/type_oids.hpp"
#include "postgres/recorded_event_rows.hpp"

namespace eventstore::detail {
namespace {

using namespace std::string_literals;
namespace binary_format = pq::binary_format;
namespace type_oid = pq::type_oid;

std::string int64_bytes(std::int64_t value) {
  std::string bytes;
  binary_format::append_int64(bytes, value);
  return bytes;
}

std::string uint64_bytes(std::uint64_t value) {
  std::string bytes;
  binary_format::append_uint64(bytes, value);
  return bytes;
}

struct Row {
  std::string stream = "order-1";
  std::string version = int64_bytes(3);
  std::string position = int64_bytes(17);
  std::string transaction_id = uint64_bytes((std::uint64_t{1} << 32) | 745);
  std::string event_id = "\x01\x90\xa0\xd0\x00\x00\x70\x00\x80\x00\x00\x00\x00\x00\x00\x2a"s;
  std::string type = "OrderPlaced";
  std::string data = "\x01{\"total\": 45.47}"s;
  std::optional<std::string> metadata = "\x01{\"trace\": \"t-1\"}"s;
  std::string created_at = int64_bytes(0);
};

class ResultBuilder {
 public:
  explicit ResultBuilder(std::vector<std::uint32_t> types = {type_oid::text, type_oid::int8, type_oid::int8,
                                                             type_oid::xid8, type_oid::uuid, type_oid::text,
                                                             type_oid::jsonb, type_oid::jsonb, type_oid::timestamptz},
                         int format = 1)
      : result_(PQmakeEmptyPGresult(nullptr, PGRES_TUPLES_OK)) {
    std::vector<PGresAttDesc> columns(types.size());
    for (std::size_t i = 0; i < types.size(); ++i) {
      names_.push_back("column" + std::to_string(i));
      columns[i] = PGresAttDesc{names_.back().data(), 0, 0, format, types[i], -1, -1};
    }
    EXPECT_TRUE(PQsetResultAttrs(result_.get(), static_cast<int>(columns.size()), columns.data()));
  }

  void add(const Row& row) {
    int index = PQntuples(result_.get());
    set(index, 0, row.stream);
    set(index, 1, row.version);
    set(index, 2, row.position);
    set(index, 3, row.transaction_id);
    set(index, 4, row.event_id);
    set(index, 5, row.type);
    set(index, 6, row.data);
    if (row.metadata)
      set(index, 7, *row.metadata);
    else
      EXPECT_TRUE(PQsetvalue(result_.get(), index, 7, nullptr, -1));
    set(index, 8, row.created_at);
  }

  [[nodiscard]] pq::Rows get() const { return pq::Rows{result_.get()}; }

 private:
  void set(int row, int column, std::string value) {
    EXPECT_TRUE(PQsetvalue(result_.get(), row, column, value.data(), static_cast<int>(value.size())));
  }

  pq::QueryResult result_;
  std::deque<std::string> names_;
};

TEST(RecordedEventRows, DecodesEveryColumn) {
  ResultBuilder result;
  result.add(Row{});
  std::vector<RecordedEvent> events;
  auto decoded = decode_recorded_events(result.get(), events);
  ASSERT_TRUE(decoded) << decoded.error().describe();
  ASSERT_EQ(events.size(), 1u);
  const RecordedEvent& event = events[0];
  EXPECT_EQ(event.stream.value(), "order-1");
  EXPECT_EQ(event.version, StreamVersion{3});
  EXPECT_EQ(event.log_position.position, GlobalPosition{17});
  EXPECT_EQ(event.log_position.transaction_id, (std::uint64_t{1} << 32) | 745);
  EXPECT_EQ(event.id.to_string(), "0190a0d0-0000-7000-8000-00000000002a");
  EXPECT_EQ(event.type, "OrderPlaced");
  EXPECT_EQ(event.data, "{\"total\": 45.47}");
  EXPECT_EQ(event.metadata, "{\"trace\": \"t-1\"}");
  // PostgreSQL's epoch is 2000-01-01 00:00:00 UTC.
  EXPECT_EQ(event.created_at.time_since_epoch().count(), 946'684'800'000'000);
}

TEST(RecordedEventRows, NullMetadataIsEmpty) {
  ResultBuilder result;
  Row row;
  row.metadata = std::nullopt;
  result.add(row);
  std::vector<RecordedEvent> events;
  ASSERT_TRUE(decode_recorded_events(result.get(), events));
  EXPECT_EQ(events.at(0).metadata, "");
}

TEST(RecordedEventRows, AppendsToWhatIsThere) {
  ResultBuilder result;
  Row row;
  result.add(row);
  row.version = int64_bytes(4);
  result.add(row);
  std::vector<RecordedEvent> events;
  ASSERT_TRUE(decode_recorded_events(result.get(), events));
  ASSERT_TRUE(decode_recorded_events(result.get(), events));
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[1].version, StreamVersion{4});
  EXPECT_EQ(events[2].version, StreamVersion{3});
}

TEST(RecordedEventRows, HostileTextTravelsVerbatim) {
  ResultBuilder result;
  Row row;
  row.stream = R"(it's "quoted", {braced} \back\ NULL ü€😀)";
  row.type = "\\\"{},NULL";
  row.data = "\x01{\"a\": \"\\\"{},NULL\\\\\"}"s;
  result.add(row);
  std::vector<RecordedEvent> events;
  ASSERT_TRUE(decode_recorded_events(result.get(), events));
  EXPECT_EQ(events[0].stream.value(), row.stream);
  EXPECT_EQ(events[0].type, row.type);
  EXPECT_EQ(events[0].data, row.data.substr(1));
}

TEST(RecordedEventRows, RejectsMalformedValues) {
  auto decode_one = [](const Row& row) {
    ResultBuilder result;
    result.add(row);
    std::vector<RecordedEvent> events;
    return decode_recorded_events(result.get(), events);
  };
  Row short_version;
  short_version.version = "\x00\x01"s;
  Row short_id;
  short_id.event_id = "\x01\x02"s;
  Row wrong_jsonb_version;
  wrong_jsonb_version.data = "\x02{}"s;
  Row empty_jsonb;
  empty_jsonb.data = "";
  Row wrong_metadata_version;
  wrong_metadata_version.metadata = "{}";
  for (const Row& row : {short_version, short_id, wrong_jsonb_version, empty_jsonb, wrong_metadata_version}) {
    auto decoded = decode_one(row);
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error().code(), ErrorCode::internal);
  }
}

TEST(RecordedEventRows, RejectsAnUnexpectedShape) {
  std::vector<RecordedEvent> events;
  ResultBuilder too_few({type_oid::text, type_oid::int8});
  auto decoded = decode_recorded_events(too_few.get(), events);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code(), ErrorCode::store_not_usable);

  ResultBuilder wrong_type({type_oid::text, type_oid::int4, type_oid::int8, type_oid::xid8, type_oid::uuid,
                            type_oid::text, type_oid::jsonb, type_oid::jsonb, type_oid::timestamptz});
  EXPECT_EQ(decode_recorded_events(wrong_type.get(), events).error().code(), ErrorCode::store_not_usable);

  ResultBuilder text_format({type_oid::text, type_oid::int8, type_oid::int8, type_oid::xid8, type_oid::uuid,
                             type_oid::text, type_oid::jsonb, type_oid::jsonb, type_oid::timestamptz},
                            0);
  EXPECT_EQ(decode_recorded_events(text_format.get(), events).error().code(), ErrorCode::store_not_usable);
  EXPECT_TRUE(events.empty());
}

}  // namespace
}  // namespace eventstore::detail
