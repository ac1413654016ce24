// Object ids of the built-in PostgreSQL types the client sends and receives
// in binary form. Built-in ids are fixed across releases (pg_type.dat), so no
// lookup is needed; the extension's own types are never sent directly.
#pragma once

#include <cstdint>

namespace eventstore::detail::pq::type_oid {

inline constexpr std::uint32_t boolean = 16;
inline constexpr std::uint32_t int4 = 23;
inline constexpr std::uint32_t int8 = 20;
inline constexpr std::uint32_t float8 = 701;
inline constexpr std::uint32_t text = 25;
inline constexpr std::uint32_t xid8 = 5069;
inline constexpr std::uint32_t uuid = 2950;
inline constexpr std::uint32_t jsonb = 3802;
inline constexpr std::uint32_t timestamptz = 1184;
inline constexpr std::uint32_t interval = 1186;
inline constexpr std::uint32_t text_array = 1009;
inline constexpr std::uint32_t uuid_array = 2951;
inline constexpr std::uint32_t jsonb_array = 3807;

}  // namespace eventstore::detail::pq::type_oid
