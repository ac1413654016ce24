#include "store_statistics_rows.hpp"

#include <chrono>
#include <optional>
#include <span>
#include <string>

#include "pq/binary_format.hpp"
#include "pq/rows.hpp"
#include "pq/type_oids.hpp"
#include "statements.hpp"

namespace eventstore::detail {
namespace {

namespace binary_format = pq::binary_format;
namespace type_oid = pq::type_oid;

using Microseconds = std::chrono::sys_time<std::chrono::microseconds>;

// Decodes the fields of one row; the first malformed one is remembered.
class RowReader {
 public:
  RowReader(pq::Rows rows, int row) : rows_(rows), row_(row) {}

  std::int64_t int64(int column) {
    pq::Field field = rows_.field(row_, column);
    return present(field, column, 8) ? binary_format::read_int64(field.bytes.data()) : 0;
  }
  std::uint64_t uint64(int column) {
    pq::Field field = rows_.field(row_, column);
    return present(field, column, 8) ? binary_format::read_uint64(field.bytes.data()) : 0;
  }
  std::string text(int column) {
    pq::Field field = rows_.field(row_, column);
    if (field.null) fail(column);
    return std::string{field.bytes};
  }
  Microseconds timestamp(int column) {
    pq::Field field = rows_.field(row_, column);
    return Microseconds{std::chrono::microseconds{
        present(field, column, 8) ? binary_format::read_unix_microseconds(field.bytes.data()) : 0}};
  }
  std::optional<std::int64_t> optional_int64(int column) {
    pq::Field field = rows_.field(row_, column);
    if (absent(field, column, 8)) return std::nullopt;
    return binary_format::read_int64(field.bytes.data());
  }
  std::int32_t int32(int column) {
    pq::Field field = rows_.field(row_, column);
    return present(field, column, 4) ? binary_format::read_int32(field.bytes.data()) : 0;
  }
  std::optional<std::string> optional_text(int column) {
    pq::Field field = rows_.field(row_, column);
    if (field.null) return std::nullopt;
    return std::string{field.bytes};
  }
  std::optional<std::int32_t> optional_int32(int column) {
    pq::Field field = rows_.field(row_, column);
    if (absent(field, column, 4)) return std::nullopt;
    return binary_format::read_int32(field.bytes.data());
  }
  std::optional<std::chrono::microseconds> optional_interval(int column) {
    pq::Field field = rows_.field(row_, column);
    if (absent(field, column, binary_format::interval_size)) return std::nullopt;
    return std::chrono::microseconds{binary_format::read_interval_microseconds(field.bytes.data())};
  }
  std::optional<Microseconds> optional_timestamp(int column) {
    pq::Field field = rows_.field(row_, column);
    if (absent(field, column, 8)) return std::nullopt;
    return Microseconds{std::chrono::microseconds{binary_format::read_unix_microseconds(field.bytes.data())}};
  }

  [[nodiscard]] Result<void> outcome() const {
    if (malformed_column_ < 0) return {};
    return std::unexpected(pq::malformed_field("statistics", row_, malformed_column_));
  }

 private:
  bool present(const pq::Field& field, int column, std::size_t size) {
    if (field.has_size(size)) return true;
    fail(column);
    return false;
  }
  bool absent(const pq::Field& field, int column, std::size_t size) {
    if (field.null) return true;
    if (field.bytes.size() == size) return false;
    fail(column);
    return true;
  }
  void fail(int column) {
    if (malformed_column_ < 0) malformed_column_ = column;
  }

  pq::Rows rows_;
  int row_;
  int malformed_column_ = -1;
};

Result<pq::QueryResult> run(pq::Connection& connection, StatementId id, std::span<const std::uint32_t> column_types,
                            const char* what) {
  pq::BinaryParameters<0> no_parameters;
  auto result = connection.execute(statement(id), no_parameters);
  if (!result) return result;
  if (auto checked = pq::Rows{*result}.check_columns(column_types, what); !checked)
    return std::unexpected(checked.error());
  return result;
}

}  // namespace

Result<StoreStatistics> read_store_statistics(pq::Connection& connection) {
  static constexpr std::uint32_t types[] = {type_oid::int8, type_oid::int8,     type_oid::int8, type_oid::int8,
                                            type_oid::int8, type_oid::int8,     type_oid::int8, type_oid::xid8,
                                            type_oid::int4, type_oid::interval, type_oid::text, type_oid::text,
                                            type_oid::text, type_oid::int4};
  auto result = run(connection, StatementId::stats, types, "eventstore.stats");
  if (!result) return std::unexpected(std::move(result.error()));
  pq::Rows rows = *result;
  if (rows.row_count() != 1) return std::unexpected(Error{ErrorCode::internal, "eventstore.stats returned no row"});
  RowReader row{rows, 0};
  StoreStatistics statistics{
      .streams = row.int64(0),
      .events = row.int64(1),
      .snapshots = row.int64(2),
      .bytes = row.int64(3),
      .appends_since_start = row.optional_int64(4),
      .events_appended_since_start = row.optional_int64(5),
      .conflicts_since_start = row.optional_int64(6),
      .log_fence = row.uint64(7),
      .oldest_transaction_pid = row.optional_int32(8),
      .oldest_transaction_age = row.optional_interval(9),
      .log_fence_source = row.text(10),
      .fence_held_by = row.text(11),
      .fence_holder_gid = row.optional_text(12),
      .prepared_transactions = row.int32(13),
  };
  if (auto checked = row.outcome(); !checked) return std::unexpected(checked.error());
  return statistics;
}

Result<std::vector<CategoryStatistics>> read_category_statistics(pq::Connection& connection) {
  static constexpr std::uint32_t types[] = {type_oid::text, type_oid::int8, type_oid::int8, type_oid::timestamptz};
  auto result = run(connection, StatementId::category_stats, types, "eventstore.category_stats");
  if (!result) return std::unexpected(std::move(result.error()));
  std::vector<CategoryStatistics> categories;
  pq::Rows rows = *result;
  for (int index = 0; index < rows.row_count(); ++index) {
    RowReader row{rows, index};
    categories.push_back(CategoryStatistics{.category = row.text(0),
                                            .streams = row.int64(1),
                                            .events = row.int64(2),
                                            .last_appended_at = row.optional_timestamp(3)});
    if (auto checked = row.outcome(); !checked) return std::unexpected(checked.error());
  }
  return categories;
}

Result<std::vector<EventTypeStatistics>> read_event_type_statistics(pq::Connection& connection) {
  static constexpr std::uint32_t types[] = {type_oid::text, type_oid::int8, type_oid::int8, type_oid::timestamptz};
  auto result = run(connection, StatementId::event_type_stats, types, "eventstore.event_type_stats");
  if (!result) return std::unexpected(std::move(result.error()));
  std::vector<EventTypeStatistics> event_types;
  pq::Rows rows = *result;
  for (int index = 0; index < rows.row_count(); ++index) {
    RowReader row{rows, index};
    event_types.push_back(EventTypeStatistics{.event_type = row.text(0),
                                              .events = row.int64(1),
                                              .payload_bytes = row.int64(2),
                                              .last_appended_at = row.timestamp(3)});
    if (auto checked = row.outcome(); !checked) return std::unexpected(checked.error());
  }
  return event_types;
}

}  // namespace eventstore::detail
