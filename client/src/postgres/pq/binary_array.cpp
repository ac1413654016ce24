#include "binary_array.hpp"

#include <cassert>
#include <utility>

#include "binary_format.hpp"

namespace eventstore::detail::pq {

BinaryArrayBuilder::BinaryArrayBuilder(std::uint32_t element_type_oid, std::size_t element_count,
                                       std::size_t payload_bytes)
    : expected_count_(element_count) {
  bytes_.reserve(20 + 4 * element_count + payload_bytes);
  binary_format::append_int32(bytes_, element_count == 0 ? 0 : 1);
  binary_format::append_int32(bytes_, 0);
  binary_format::append_uint32(bytes_, element_type_oid);
  if (element_count > 0) {
    binary_format::append_int32(bytes_, static_cast<std::int32_t>(element_count));
    binary_format::append_int32(bytes_, 1);
  }
}

void BinaryArrayBuilder::add(std::string_view element) {
  binary_format::append_int32(bytes_, static_cast<std::int32_t>(element.size()));
  bytes_.append(element);
  ++added_count_;
}

void BinaryArrayBuilder::add_with_prefix(char prefix, std::string_view element) {
  binary_format::append_int32(bytes_, static_cast<std::int32_t>(element.size() + 1));
  bytes_.push_back(prefix);
  bytes_.append(element);
  ++added_count_;
}

void BinaryArrayBuilder::add_null() {
  binary_format::append_int32(bytes_, -1);
  has_null_ = true;
  ++added_count_;
}

std::string BinaryArrayBuilder::finish() && {
  assert(added_count_ == expected_count_);
  if (has_null_) bytes_[binary_array_null_flag_offset + 3] = 1;
  return std::move(bytes_);
}

}  // namespace eventstore::detail::pq
