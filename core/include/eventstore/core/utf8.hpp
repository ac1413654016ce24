// UTF-8 as PostgreSQL accepts it (pg_utf8_islegal): no overlong forms, no
// surrogates, nothing above U+10FFFF. Shared by the name rules and by the
// in-memory store, which refuses the text the server would refuse.
#pragma once

#include <cstddef>
#include <string_view>

namespace eventstore::core {

struct Utf8Character {
  char32_t code_point;
  std::size_t length;  // in bytes, 1 to 4; 0 when the bytes are not well-formed UTF-8
};

// The character that starts at byte `at` of `text` (`at` < text.size()).
[[nodiscard]] Utf8Character decode_utf8(std::string_view text, std::size_t at) noexcept;

// Whether all of `text` is well-formed UTF-8.
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace eventstore::core
