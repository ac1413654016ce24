#include "store_statistics_rows.hpp"

#include <chrono>
#include <optional>
#include <string>

#include "binary_format.hpp"
#include "result_fields.hpp"
#include "type_oids.hpp"

namespace eventstore::detail {
namespace {

using Microseconds = std::chrono::sys_time<std::chrono::microseconds>;

// Decodes the fields of one row; the first malformed one is remembered.
class RowReader {
 public:
  RowReader(const PGresult* result, int row) : result_(result), row_(row) {}

  std::int64_t int64(int column) { return present(column, 8) ? binary_format::read_int64(value(column)) : 0; }
  std::uint64_t uint64(int column) { return present(column, 8) ? binary_format::read_uint64(value(column)) : 0; }
  std::string text(int column) {
    if (PQgetisnull(result_, row_, column)) fail(column);
    return std::string{field_bytes(result_, row_, column)};
  }
  Microseconds timestamp(int column) {
    return Microseconds{
        std::chrono::microseconds{present(column, 8) ? binary_format::read_unix_microseconds(value(column)) : 0}};
  }
  std::optional<std::int64_t> optional_int64(int column) {
    if (absent(column, 8)) return std::nullopt;
    return binary_format::read_int64(value(column));
  }
  std::optional<std::int32_t> optional_int32(int column) {
    if (absent(column, 4)) return std::nullopt;
    return binary_format::read_int32(value(column));
  }
  std::optional<std::chrono::microseconds> optional_interval(int column) {
    if (absent(column, binary_format::interval_size)) return std::nullopt;
    return std::chrono::microseconds{binary_format::read_interval_microseconds(value(column))};
  }
  std::optional<Microseconds> optional_timestamp(int column) {
    if (absent(column, 8)) return std::nullopt;
    return Microseconds{std::chrono::microseconds{binary_format::read_unix_microseconds(value(column))}};
  }

  [[nodiscard]] Result<void> outcome() const {
    if (malformed_column_ < 0) return {};
    return std::unexpected(malformed_field("statistics", row_, malformed_column_));
  }

 private:
  const char* value(int column) const { return PQgetvalue(result_, row_, column); }
  bool present(int column, int size) {
    if (!PQgetisnull(result_, row_, column) && PQgetlength(result_, row_, column) == size) return true;
    fail(column);
    return false;
  }
  bool absent(int column, int size) {
    if (PQgetisnull(result_, row_, column)) return true;
    if (PQgetlength(result_, row_, column) == size) return false;
    fail(column);
    return true;
  }
  void fail(int column) {
    if (malformed_column_ < 0) malformed_column_ = column;
  }

  const PGresult* result_;
  int row_;
  int malformed_column_ = -1;
};

Result<QueryResult> run(Connection& connection, const Statement& statement, const std::uint32_t* column_types,
                        int column_count, const char* what) {
  BinaryParameters<0> no_parameters;
  auto result = connection.execute(statement, no_parameters);
  if (!result) return result;
  if (auto checked = check_columns(result->get(), column_types, column_count, what); !checked)
    return std::unexpected(checked.error());
  return result;
}

}  // namespace

Result<StoreStatistics> read_store_statistics(Connection& connection) {
  static constexpr std::uint32_t types[] = {type_oid::int8, type_oid::int8,    type_oid::int8, type_oid::int8,
                                            type_oid::int8, type_oid::int8,    type_oid::int8, type_oid::xid8,
                                            type_oid::int4, type_oid::interval};
  auto result = run(connection, statements::stats, types, 10, "eventstore.stats");
  if (!result) return std::unexpected(std::move(result.error()));
  if (PQntuples(result->get()) != 1)
    return std::unexpected(Error{ErrorCode::internal, "eventstore.stats returned no row"});
  RowReader row{result->get(), 0};
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
  };
  if (auto checked = row.outcome(); !checked) return std::unexpected(checked.error());
  return statistics;
}

Result<std::vector<CategoryStatistics>> read_category_statistics(Connection& connection) {
  static constexpr std::uint32_t types[] = {type_oid::text, type_oid::int8, type_oid::int8, type_oid::timestamptz};
  auto result = run(connection, statements::category_stats, types, 4, "eventstore.category_stats");
  if (!result) return std::unexpected(std::move(result.error()));
  std::vector<CategoryStatistics> categories;
  for (int index = 0; index < PQntuples(result->get()); ++index) {
    RowReader row{result->get(), index};
    categories.push_back(CategoryStatistics{.category = row.text(0),
                                            .streams = row.int64(1),
                                            .events = row.int64(2),
                                            .last_appended_at = row.optional_timestamp(3)});
    if (auto checked = row.outcome(); !checked) return std::unexpected(checked.error());
  }
  return categories;
}

Result<std::vector<EventTypeStatistics>> read_event_type_statistics(Connection& connection) {
  static constexpr std::uint32_t types[] = {type_oid::text, type_oid::int8, type_oid::int8, type_oid::timestamptz};
  auto result = run(connection, statements::event_type_stats, types, 4, "eventstore.event_type_stats");
  if (!result) return std::unexpected(std::move(result.error()));
  std::vector<EventTypeStatistics> event_types;
  for (int index = 0; index < PQntuples(result->get()); ++index) {
    RowReader row{result->get(), index};
    event_types.push_back(EventTypeStatistics{.event_type = row.text(0),
                                              .events = row.int64(1),
                                              .payload_bytes = row.int64(2),
                                              .last_appended_at = row.timestamp(3)});
    if (auto checked = row.outcome(); !checked) return std::unexpected(checked.error());
  }
  return event_types;
}

}  // namespace eventstore::detail
