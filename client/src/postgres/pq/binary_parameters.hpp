// The parameters of one prepared-statement execution, all in binary format,
// laid out as PQexecPrepared takes them. Text parameters borrow the caller's
// bytes (valid until the statement has run); the rest are encoded here.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "binary_format.hpp"

namespace eventstore::detail::pq {

template <std::size_t Count>
class BinaryParameters {
 public:
  BinaryParameters() { formats_.fill(1); }
  BinaryParameters(const BinaryParameters&) = delete;
  BinaryParameters& operator=(const BinaryParameters&) = delete;

  void set_text(std::size_t index, std::string_view text) { point_at(index, text); }
  void set_int32(std::size_t index, std::int32_t value) {
    owned_[index].clear();
    binary_format::append_int32(owned_[index], value);
    point_at(index, owned_[index]);
  }
  void set_int64(std::size_t index, std::int64_t value) {
    owned_[index].clear();
    binary_format::append_int64(owned_[index], value);
    point_at(index, owned_[index]);
  }
  void set_uint64(std::size_t index, std::uint64_t value) {
    owned_[index].clear();
    binary_format::append_uint64(owned_[index], value);
    point_at(index, owned_[index]);
  }
  // Bytes already in the binary format of the parameter's type (an array).
  void set_encoded(std::size_t index, std::string bytes) {
    owned_[index] = std::move(bytes);
    point_at(index, owned_[index]);
  }
  void set_null(std::size_t index) {
    values_[index] = nullptr;
    lengths_[index] = 0;
  }

  [[nodiscard]] static constexpr int count() noexcept { return static_cast<int>(Count); }
  [[nodiscard]] const char* const* values() const noexcept { return values_.data(); }
  [[nodiscard]] const int* lengths() const noexcept { return lengths_.data(); }
  [[nodiscard]] const int* formats() const noexcept { return formats_.data(); }

 private:
  void point_at(std::size_t index, std::string_view bytes) {
    // libpq reads a null pointer as SQL NULL; an empty value is not NULL.
    values_[index] = bytes.data() != nullptr ? bytes.data() : "";
    lengths_[index] = static_cast<int>(bytes.size());
  }

  std::array<std::string, Count> owned_{};
  std::array<const char*, Count> values_{};
  std::array<int, Count> lengths_{};
  std::array<int, Count> formats_{};
};

}  // namespace eventstore::detail::pq
