#include "loaded_stream_rows.hpp"

#include <chrono>
#include <cstring>
#include <string>
#include <string_view>

#include "pq/binary_format.hpp"
#include "pq/type_oids.hpp"

namespace eventstore::detail {
namespace {

namespace binary_format = pq::binary_format;
namespace type_oid = pq::type_oid;

constexpr std::uint32_t column_types[loaded_row_column_count] = {
    type_oid::boolean, type_oid::int8,  type_oid::int8,  type_oid::xid8,       type_oid::uuid,
    type_oid::text,    type_oid::jsonb, type_oid::jsonb, type_oid::timestamptz};

std::chrono::sys_time<std::chrono::microseconds> timestamp(const char* bytes) {
  return std::chrono::sys_time<std::chrono::microseconds>{
      std::chrono::microseconds{binary_format::read_int64(bytes) + binary_format::postgres_epoch_in_unix_microseconds}};
}

// The JSON text of a binary jsonb value: a version byte, then the text.
Result<std::string_view> jsonb_text(std::string_view bytes, int row, int column) {
  if (bytes.empty() || bytes.front() != binary_format::jsonb_version)
    return std::unexpected(pq::malformed_field("jsonb", row, column));
  return bytes.substr(1);
}

}  // namespace

Result<LoadedStream> decode_loaded_stream(pq::Rows rows, const StreamName& stream) {
  if (auto checked = rows.check_columns(column_types, "eventstore.loaded_row"); !checked)
    return std::unexpected(checked.error());
  LoadedStream loaded;
  const int row_count = rows.row_count();
  loaded.events.reserve(static_cast<std::size_t>(row_count));
  for (int row = 0; row < row_count; ++row) {
    auto required = [&](int column, int size) {
      return !rows.is_null(row, column) && (size < 0 || rows.length(row, column) == size);
    };
    if (!required(loaded_column_is_snapshot, 1) || !required(loaded_column_version, 8) ||
        !required(loaded_column_data, -1) || !required(loaded_column_created_at, 8))
      return std::unexpected(pq::malformed_field("loaded_row", row, loaded_column_is_snapshot));
    auto data = jsonb_text(rows.bytes(row, loaded_column_data), row, loaded_column_data);
    if (!data) return std::unexpected(data.error());
    StreamVersion version{binary_format::read_int64(rows.value(row, loaded_column_version))};
    auto created_at = timestamp(rows.value(row, loaded_column_created_at));

    if (*rows.value(row, loaded_column_is_snapshot) != 0) {
      // Only the first row may be the snapshot.
      if (row != 0) return std::unexpected(pq::malformed_field("snapshot row", row, loaded_column_is_snapshot));
      loaded.snapshot = Snapshot{version, std::string{*data}, created_at};
      continue;
    }
    if (!required(loaded_column_position, 8) || !required(loaded_column_transaction_id, 8) ||
        !required(loaded_column_event_id, 16) || !required(loaded_column_event_type, -1))
      return std::unexpected(pq::malformed_field("event row", row, loaded_column_position));
    std::string_view metadata;
    if (!rows.is_null(row, loaded_column_metadata)) {
      auto text = jsonb_text(rows.bytes(row, loaded_column_metadata), row, loaded_column_metadata);
      if (!text) return std::unexpected(text.error());
      metadata = *text;
    }
    EventId::Bytes id_bytes;
    std::memcpy(id_bytes.data(), rows.value(row, loaded_column_event_id), id_bytes.size());
    loaded.events.push_back(RecordedEvent{
        stream,
        version,
        LogPosition{binary_format::read_uint64(rows.value(row, loaded_column_transaction_id)),
                    GlobalPosition{binary_format::read_int64(rows.value(row, loaded_column_position))}},
        EventId{id_bytes},
        std::string{rows.bytes(row, loaded_column_event_type)},
        std::string{*data},
        std::string{metadata},
        created_at,
    });
  }
  return loaded;
}

}  // namespace eventstore::detail
