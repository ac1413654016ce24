// How a CachedValue is stored in Redis: the position as 40 decimal digits
// (transaction id, then position offset by 2^63, 20 digits each), then the
// bytes. Fixed-width digits compare as strings in the order LogPosition
// compares, so Redis's Lua scripts can compare positions without numbers
// (Lua's are doubles, which cannot hold 64 bits).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "eventstore/cache/cached_value.hpp"
#include "eventstore/store/log_position.hpp"

namespace eventstore::cache {

inline constexpr std::size_t encoded_position_size = 40;

[[nodiscard]] std::string encode_position(LogPosition position);
[[nodiscard]] std::string encode_value(const CachedValue& value);
// nullopt when `stored` does not start with 40 digits (not written by us).
[[nodiscard]] std::optional<CachedValue> decode_value(std::string_view stored);

}  // namespace eventstore::cache
