#include "eventstore/core/utf8.hpp"

namespace eventstore::core {
namespace {

// Length of the sequence that starts with `lead`, or 0 if `lead` cannot start one.
std::size_t sequence_length(unsigned char lead) noexcept {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

}  // namespace

Utf8Character decode_utf8(std::string_view text, std::size_t at) noexcept {
  constexpr Utf8Character invalid{0, 0};
  auto lead = static_cast<unsigned char>(text[at]);
  std::size_t length = sequence_length(lead);
  if (length == 0 || at + length > text.size()) return invalid;
  char32_t code_point = length == 1 ? lead : lead & (0xFF >> (length + 1));
  for (std::size_t k = 1; k < length; ++k) {
    auto next = static_cast<unsigned char>(text[at + k]);
    if ((next & 0xC0) != 0x80) return invalid;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  bool overlong = (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
  bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (overlong || surrogate || code_point > 0x10FFFF) return invalid;
  return Utf8Character{code_point, length};
}

bool is_valid_utf8(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = decode_utf8(text, i).length;
    if (length == 0) return false;
    i += length;
  }
  return true;
}

}  // namespace eventstore::core
