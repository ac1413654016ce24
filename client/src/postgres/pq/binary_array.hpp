// A one-dimensional array parameter in PostgreSQL's binary format (what
// array_recv reads): no quoting or escaping, so no element can change the
// array's shape whatever bytes it holds, and NULL elements are explicit.
//
//   int32 dimensions (0 for an empty array, else 1)
//   int32 has-null flag
//   uint32 element type oid
//   int32 length, int32 lower bound     (per dimension)
//   per element: int32 byte count (-1 for NULL), then the bytes
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace eventstore::detail::pq {

class BinaryArrayBuilder {
 public:
  // `element_count` elements will be added; `payload_bytes` of them in all
  // (a hint, to allocate once).
  BinaryArrayBuilder(std::uint32_t element_type_oid, std::size_t element_count, std::size_t payload_bytes = 0);

  void add(std::string_view element);
  // An element whose bytes are `prefix` then `element` (jsonb: the version byte, then the text).
  void add_with_prefix(char prefix, std::string_view element);
  void add_null();

  // The encoded array; exactly element_count elements must have been added.
  [[nodiscard]] std::string finish() &&;

 private:
  std::string bytes_;
  std::size_t expected_count_;
  std::size_t added_count_ = 0;
  bool has_null_ = false;
};

// The byte offset of the has-null flag, patched by finish().
inline constexpr std::size_t binary_array_null_flag_offset = 4;

}  // namespace eventstore::detail::pq
