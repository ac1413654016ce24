#include "redis_value_encoding.hpp"

#include <charconv>
#include <cstdint>

namespace eventstore::cache {

namespace {

constexpr std::uint64_t sign_offset = std::uint64_t{1} << 63;

void append_digits(std::string& out, std::uint64_t value) {
  char digits[20];
  for (int i = 19; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(digits, sizeof digits);
}

std::optional<std::uint64_t> parse_digits(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string encode_position(LogPosition position) {
  std::string out;
  out.reserve(encoded_position_size);
  append_digits(out, position.transaction_id);
  append_digits(out, static_cast<std::uint64_t>(position.position.value()) + sign_offset);
  return out;
}

std::string encode_value(const CachedValue& value) {
  std::string out = encode_position(value.position);
  out.append(value.bytes);
  return out;
}

std::optional<CachedValue> decode_value(std::string_view stored) {
  if (stored.size() < encoded_position_size) return std::nullopt;
  auto transaction_id = parse_digits(stored.substr(0, 20));
  auto position = parse_digits(stored.substr(20, 20));
  if (!transaction_id || !position) return std::nullopt;
  CachedValue value;
  value.position.transaction_id = *transaction_id;
  value.position.position = GlobalPosition(static_cast<std::int64_t>(*position - sign_offset));
  value.bytes.assign(stored.substr(encoded_position_size));
  return value;
}

}  // namespace eventstore::cache
