// The rows of a binary-format reply, as a view over libpq's own buffers
// (valid as long as the QueryResult it views): the row count, each field's
// bytes or NULL, and getters that check a field has the size its type has on
// the wire: a reply the client cannot understand is an internal error, never
// a misread value. The field accessors are inline, as direct libpq calls
// would be: decoders call them for every field of every row.
#pragma once

#include <libpq-fe.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string_view>

#include "eventstore/store/result.hpp"
#include "libpq_handles.hpp"

namespace eventstore::detail::pq {

// One field of a row: its bytes, or NULL.
struct Field {
  std::string_view bytes;
  bool null = false;

  // Not NULL, and `size` bytes long.
  [[nodiscard]] bool has_size(std::size_t size) const noexcept { return !null && bytes.size() == size; }
};

// Rows and columns count from 0; the message says where, counting from 1.
[[nodiscard]] Error malformed_field(const char* what, int row, int column);

class Rows {
 public:
  explicit Rows(const pg_result* result) noexcept : result_(result) {}
  // A view of the rows `result` owns, as a std::string_view is of a std::string.
  Rows(const QueryResult& result) noexcept : result_(result.get()) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] int row_count() const noexcept { return PQntuples(result_); }
  [[nodiscard]] int column_count() const noexcept { return PQnfields(result_); }
  // The rows an INSERT, UPDATE or DELETE touched (0 for other statements).
  [[nodiscard]] std::int64_t affected_rows() const noexcept {
    const char* count = PQcmdTuples(const_cast<pg_result*>(result_));
    return count != nullptr && *count != '\0' ? std::strtoll(count, nullptr, 10) : 0;
  }

  // Checks that there are column_types.size() columns, of these types, in binary format.
  [[nodiscard]] Result<void> check_columns(std::span<const std::uint32_t> column_types, const char* what) const;

  [[nodiscard]] bool is_null(int row, int column) const noexcept { return PQgetisnull(result_, row, column) != 0; }
  // How many bytes the field has (0 when NULL).
  [[nodiscard]] int length(int row, int column) const noexcept { return PQgetlength(result_, row, column); }
  // The field's first byte (an empty string when NULL).
  [[nodiscard]] const char* value(int row, int column) const noexcept { return PQgetvalue(result_, row, column); }
  [[nodiscard]] std::string_view bytes(int row, int column) const noexcept {
    return {value(row, column), static_cast<std::size_t>(length(row, column))};
  }
  [[nodiscard]] Field field(int row, int column) const noexcept {
    if (is_null(row, column)) return Field{{}, true};
    return Field{bytes(row, column)};
  }

  // A non-NULL field of exactly `size` bytes (its type's size on the wire).
  [[nodiscard]] Result<std::string_view> sized(int row, int column, std::size_t size) const;
  // NULL (nullopt), or a field of exactly `size` bytes.
  [[nodiscard]] Result<std::optional<std::string_view>> null_or_sized(int row, int column, std::size_t size) const;
  // A non-NULL int8.
  [[nodiscard]] Result<std::int64_t> int64(int row, int column) const;

 private:
  const pg_result* result_;
};

}  // namespace eventstore::detail::pq
