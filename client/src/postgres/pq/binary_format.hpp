// PostgreSQL's binary wire format for the scalar types the client uses:
// integers in network byte order, jsonb as a version byte and JSON text,
// timestamptz as microseconds since 2000-01-01 UTC.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>

namespace eventstore::detail::pq::binary_format {

// The only jsonb binary format version (jsonb_send, jsonb_recv).
inline constexpr char jsonb_version = 1;

// Microseconds from the Unix epoch to PostgreSQL's epoch, 2000-01-01.
inline constexpr std::int64_t postgres_epoch_in_unix_microseconds = 946'684'800'000'000;

template <class Unsigned>
[[nodiscard]] Unsigned to_network_order(Unsigned value) noexcept {
  if constexpr (std::endian::native == std::endian::little) return std::byteswap(value);
  return value;
}

inline void append_uint32(std::string& out, std::uint32_t value) {
  value = to_network_order(value);
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

inline void append_int32(std::string& out, std::int32_t value) {
  append_uint32(out, static_cast<std::uint32_t>(value));
}

inline void append_uint64(std::string& out, std::uint64_t value) {
  value = to_network_order(value);
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

inline void append_int64(std::string& out, std::int64_t value) {
  append_uint64(out, static_cast<std::uint64_t>(value));
}

[[nodiscard]] inline std::uint32_t read_uint32(const char* bytes) noexcept {
  std::uint32_t value;
  std::memcpy(&value, bytes, sizeof value);
  return to_network_order(value);
}

[[nodiscard]] inline std::uint64_t read_uint64(const char* bytes) noexcept {
  std::uint64_t value;
  std::memcpy(&value, bytes, sizeof value);
  return to_network_order(value);
}

[[nodiscard]] inline std::int64_t read_int64(const char* bytes) noexcept {
  return static_cast<std::int64_t>(read_uint64(bytes));
}

[[nodiscard]] inline std::int32_t read_int32(const char* bytes) noexcept {
  return static_cast<std::int32_t>(read_uint32(bytes));
}

// An interval: microseconds, then days, then months (interval_send). Sent
// with microseconds only; read back with a day as 24 hours and a month as
// 30 days, as PostgreSQL compares intervals.
inline constexpr int interval_size = 16;
inline void append_interval(std::string& out, std::int64_t microseconds) {
  append_int64(out, microseconds);
  append_int32(out, 0);
  append_int32(out, 0);
}
[[nodiscard]] inline std::int64_t read_interval_microseconds(const char* bytes) noexcept {
  constexpr std::int64_t day = 86'400'000'000;
  return read_int64(bytes) + read_int32(bytes + 8) * day + read_int32(bytes + 12) * 30 * day;
}

// A timestamptz as microseconds since the Unix epoch.
[[nodiscard]] inline std::int64_t read_unix_microseconds(const char* bytes) noexcept {
  return read_int64(bytes) + postgres_epoch_in_unix_microseconds;
}
inline void append_timestamp(std::string& out, std::int64_t unix_microseconds) {
  append_int64(out, unix_microseconds - postgres_epoch_in_unix_microseconds);
}

}  // namespace eventstore::detail::pq::binary_format
