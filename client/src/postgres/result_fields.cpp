#include "result_fields.hpp"

namespace eventstore::detail {

Error malformed_field(const char* what, int row, int column) {
  return Error{ErrorCode::internal, std::string{"the server sent a malformed "} + what + " value (row " +
                                        std::to_string(row + 1) + ", column " + std::to_string(column + 1) + ")"};
}

Result<void> check_columns(const PGresult* result, const std::uint32_t* column_types, int column_count,
                           const char* what) {
  // A different shape means an extension version this client does not know.
  auto unexpected_shape = [&](const std::string& why) {
    return std::unexpected(Error{ErrorCode::store_not_usable,
                                 std::string{"the server's "} + what + " has an unexpected shape: " + why +
                                     "; is the installed pg_eventstore version one this client supports?"});
  };
  if (PQnfields(result) != column_count)
    return unexpected_shape(std::to_string(PQnfields(result)) + " columns instead of " + std::to_string(column_count));
  for (int column = 0; column < column_count; ++column) {
    if (PQftype(result, column) != column_types[column])
      return unexpected_shape("column " + std::to_string(column + 1) + " has type oid " +
                              std::to_string(PQftype(result, column)));
    if (PQfformat(result, column) != 1)
      return unexpected_shape("column " + std::to_string(column + 1) + " is not in binary format");
  }
  return {};
}

}  // namespace eventstore::detail
