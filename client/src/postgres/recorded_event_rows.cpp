#include "recorded_event_rows.hpp"

#include <chrono>
#include <cstring>

#include "pq/binary_format.hpp"
#include "pq/type_oids.hpp"

namespace eventstore::detail {
namespace {

namespace binary_format = pq::binary_format;
namespace type_oid = pq::type_oid;

constexpr std::uint32_t column_types[recorded_event_column_count] = {
    type_oid::text, type_oid::int8,  type_oid::int8,  type_oid::xid8,       type_oid::uuid,
    type_oid::text, type_oid::jsonb, type_oid::jsonb, type_oid::timestamptz};

// The JSON text of a binary jsonb value: a version byte, then the text.
bool jsonb_text(std::string_view bytes, std::string_view& text) {
  if (bytes.empty() || bytes.front() != binary_format::jsonb_version) return false;
  text = bytes.substr(1);
  return true;
}

}  // namespace

Result<void> decode_recorded_events(pq::Rows rows, std::vector<RecordedEvent>& events) {
  if (auto checked = rows.check_columns(column_types, "eventstore.recorded_event"); !checked) return checked;
  const int row_count = rows.row_count();
  events.reserve(events.size() + static_cast<std::size_t>(row_count));
  for (int row = 0; row < row_count; ++row) {
    for (int column = 0; column < recorded_event_column_count; ++column)
      if (column != column_metadata && rows.is_null(row, column))
        return std::unexpected(pq::malformed_field("NULL", row, column));
    auto fixed = [&](int column, int size) { return rows.length(row, column) == size; };
    if (!fixed(column_version, 8) || !fixed(column_position, 8) || !fixed(column_transaction_id, 8) ||
        !fixed(column_event_id, 16) || !fixed(column_created_at, 8))
      return std::unexpected(pq::malformed_field("fixed-size", row, column_version));

    std::string_view data;
    if (!jsonb_text(rows.bytes(row, column_data), data))
      return std::unexpected(pq::malformed_field("jsonb", row, column_data));
    std::string_view metadata;
    if (!rows.is_null(row, column_metadata) && !jsonb_text(rows.bytes(row, column_metadata), metadata))
      return std::unexpected(pq::malformed_field("jsonb", row, column_metadata));

    EventId::Bytes id_bytes;
    std::memcpy(id_bytes.data(), rows.value(row, column_event_id), id_bytes.size());
    std::int64_t created_at = binary_format::read_int64(rows.value(row, column_created_at));

    events.push_back(RecordedEvent{
        ServerValues::stream_name(rows.bytes(row, column_stream_name)),
        StreamVersion{binary_format::read_int64(rows.value(row, column_version))},
        LogPosition{binary_format::read_uint64(rows.value(row, column_transaction_id)),
                    GlobalPosition{binary_format::read_int64(rows.value(row, column_position))}},
        EventId{id_bytes},
        std::string{rows.bytes(row, column_event_type)},
        std::string{data},
        std::string{metadata},
        std::chrono::sys_time<std::chrono::microseconds>{
            std::chrono::microseconds{created_at + binary_format::postgres_epoch_in_unix_microseconds}},
    });
  }
  return {};
}

}  // namespace eventstore::detail
