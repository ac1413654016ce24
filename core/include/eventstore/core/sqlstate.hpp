// The SQLSTATEs of pg_eventstore, once: the extension raises them, the client
// maps them to error codes, the in-memory store reproduces them. Each of ours
// is a subclass of a standard class (22 bad data, 23 integrity, 55 wrong
// state), so tools that only know the class still act right. The table of
// when each is raised is docs/sql-api.md.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace eventstore::core::sqlstate {

// Character arrays, so that each is a std::string_view, a std::string and a C string alike.

inline constexpr char invalid_stream_name[] = "22V01";
inline constexpr char invalid_event_type[] = "22V02";
inline constexpr char invalid_expected_version[] = "22V03";
inline constexpr char event_too_large[] = "22V04";
inline constexpr char too_many_events[] = "22V05";
inline constexpr char no_events[] = "22V06";
inline constexpr char duplicate_event_id[] = "22V07";
inline constexpr char invalid_read_argument[] = "22V08";
inline constexpr char duplicate_stream[] = "22V09";
inline constexpr char invalid_snapshot[] = "22V10";
inline constexpr char invalid_checkpoint[] = "22V11";
inline constexpr char wrong_expected_version[] = "23V01";
inline constexpr char event_id_reused[] = "23V02";
inline constexpr char stream_deleted[] = "23V03";
inline constexpr char store_not_usable[] = "55V01";
inline constexpr char layout_not_allowed[] = "55V02";  // raised by the SQL scripts
inline constexpr char no_partition_for_time[] = "55V03";
inline constexpr char lease_lost[] = "55V04";              // raised by the SQL scripts
inline constexpr char subscription_not_found[] = "42V01";  // raised by the SQL scripts

// PostgreSQL's own codes that the extension raises for its arguments and the
// in-memory store reproduces.
inline constexpr char invalid_parameter_value[] = "22023";
inline constexpr char undefined_object[] = "42704";

struct NamedSqlstate {
  std::string_view code;
  std::string_view name;
};

// Every SQLSTATE of our own, with the name docs/sql-api.md gives it.
inline constexpr std::array<NamedSqlstate, 19> ours = {{
    {invalid_stream_name, "invalid_stream_name"},
    {invalid_event_type, "invalid_event_type"},
    {invalid_expected_version, "invalid_expected_version"},
    {event_too_large, "event_too_large"},
    {too_many_events, "too_many_events"},
    {no_events, "no_events"},
    {duplicate_event_id, "duplicate_event_id"},
    {invalid_read_argument, "invalid_read_argument"},
    {duplicate_stream, "duplicate_stream"},
    {invalid_snapshot, "invalid_snapshot"},
    {invalid_checkpoint, "invalid_checkpoint"},
    {wrong_expected_version, "wrong_expected_version"},
    {event_id_reused, "event_id_reused"},
    {stream_deleted, "stream_deleted"},
    {store_not_usable, "store_not_usable"},
    {layout_not_allowed, "layout_not_allowed"},
    {no_partition_for_time, "no_partition_for_time"},
    {lease_lost, "lease_lost"},
    {subscription_not_found, "subscription_not_found"},
}};

// A SQLSTATE is five characters of 0-9 and A-Z.
[[nodiscard]] constexpr bool is_well_formed(std::string_view code) noexcept {
  if (code.size() != 5) return false;
  for (char c : code)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return false;
  return true;
}

// Whether every code and every name of `table` appears once, and every code is well formed.
template <std::size_t Size>
[[nodiscard]] constexpr bool is_consistent(const std::array<NamedSqlstate, Size>& table) noexcept {
  for (std::size_t i = 0; i < Size; ++i) {
    if (!is_well_formed(table[i].code) || table[i].name.empty()) return false;
    for (std::size_t k = i + 1; k < Size; ++k)
      if (table[i].code == table[k].code || table[i].name == table[k].name) return false;
  }
  return true;
}
static_assert(is_consistent(ours), "each SQLSTATE of pg_eventstore has one code and one name");

// The name of one of our codes; nothing for any other code.
[[nodiscard]] constexpr std::optional<std::string_view> name_of(std::string_view code) noexcept {
  for (const NamedSqlstate& entry : ours)
    if (entry.code == code) return entry.name;
  return std::nullopt;
}

}  // namespace eventstore::core::sqlstate
