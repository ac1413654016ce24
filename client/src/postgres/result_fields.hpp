// Reading fields of a binary-format PGresult, checking that each has the
// size its type has on the wire: a reply the client cannot understand is an
// internal error, never a misread value.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "binary_format.hpp"
#include "eventstore/store/result.hpp"

namespace eventstore::detail {

[[nodiscard]] inline std::string_view field_bytes(const PGresult* result, int row, int column) noexcept {
  return {PQgetvalue(result, row, column), static_cast<std::size_t>(PQgetlength(result, row, column))};
}

[[nodiscard]] Error malformed_field(const char* what, int row, int column);

// Checks that the result has `column_count` columns of these types, in binary format.
[[nodiscard]] Result<void> check_columns(const PGresult* result, const std::uint32_t* column_types,
                                         int column_count, const char* what);

// A non-NULL int8 field.
[[nodiscard]] inline Result<std::int64_t> int64_field(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column) || PQgetlength(result, row, column) != 8)
    return std::unexpected(malformed_field("bigint", row, column));
  return binary_format::read_int64(PQgetvalue(result, row, column));
}

// A non-NULL field of exactly `size` bytes (its type's size on the wire).
[[nodiscard]] inline Result<const char*> fixed_field(const PGresult* result, int row, int column, int size) {
  if (PQgetisnull(result, row, column) || PQgetlength(result, row, column) != size)
    return std::unexpected(malformed_field("fixed-size", row, column));
  return PQgetvalue(result, row, column);
}

// Whether the field is NULL; otherwise it must have `size` bytes.
[[nodiscard]] inline Result<bool> null_or_sized(const PGresult* result, int row, int column, int size) {
  if (PQgetisnull(result, row, column)) return true;
  if (PQgetlength(result, row, column) != size) return std::unexpected(malformed_field("fixed-size", row, column));
  return false;
}

}  // namespace eventstore::detail
