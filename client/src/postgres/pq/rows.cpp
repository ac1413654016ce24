#include "rows.hpp"

#include <string>

#include "binary_format.hpp"

namespace eventstore::detail::pq {

Error malformed_field(const char* what, int row, int column) {
  return Error{ErrorCode::internal, std::string{"the server sent a malformed "} + what + " value (row " +
                                        std::to_string(row + 1) + ", column " + std::to_string(column + 1) + ")"};
}

Result<void> Rows::check_columns(std::span<const std::uint32_t> column_types, const char* what) const {
  // A different shape means an extension version this client does not know.
  auto unexpected_shape = [&](const std::string& why) {
    return std::unexpected(
        Error{ErrorCode::store_not_usable, std::string{"the server's "} + what + " has an unexpected shape: " + why +
                                               "; is the installed pg_eventstore version one this client supports?"});
  };
  const int column_count = static_cast<int>(column_types.size());
  if (PQnfields(result_) != column_count)
    return unexpected_shape(std::to_string(PQnfields(result_)) + " columns instead of " + std::to_string(column_count));
  for (int column = 0; column < column_count; ++column) {
    if (PQftype(result_, column) != column_types[column])
      return unexpected_shape("column " + std::to_string(column + 1) + " has type oid " +
                              std::to_string(PQftype(result_, column)));
    if (PQfformat(result_, column) != 1)
      return unexpected_shape("column " + std::to_string(column + 1) + " is not in binary format");
  }
  return {};
}

Result<std::string_view> Rows::sized(int row, int column, std::size_t size) const {
  Field value = field(row, column);
  if (!value.has_size(size)) return std::unexpected(malformed_field("fixed-size", row, column));
  return value.bytes;
}

Result<std::optional<std::string_view>> Rows::null_or_sized(int row, int column, std::size_t size) const {
  Field value = field(row, column);
  if (value.null) return std::optional<std::string_view>{};
  if (value.bytes.size() != size) return std::unexpected(malformed_field("fixed-size", row, column));
  return std::optional<std::string_view>{value.bytes};
}

Result<std::int64_t> Rows::int64(int row, int column) const {
  Field value = field(row, column);
  if (!value.has_size(8)) return std::unexpected(malformed_field("bigint", row, column));
  return binary_format::read_int64(value.bytes.data());
}

}  // namespace eventstore::detail::pq
