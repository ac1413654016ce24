// Consumer groups: the members of a group share a category, each stream going
// to exactly one member, chosen by a hash of the stream name that never
// changes (FNV-1a, 64 bits) — not PostgreSQL's internal hash, which may differ
// between versions — so that a stream stays with its member across restarts
// and upgrades.
#pragma once

#include <cstdint>
#include <string_view>

namespace eventstore::core {

[[nodiscard]] constexpr std::uint64_t stream_name_hash(std::string_view name) noexcept {
  std::uint64_t hash = 14695981039346656037ULL;
  for (char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

// The member (0 .. group_size - 1) that reads the stream.
[[nodiscard]] constexpr std::int32_t consumer_group_member(std::string_view stream_name,
                                                           std::int32_t group_size) noexcept {
  return static_cast<std::int32_t>(stream_name_hash(stream_name) % static_cast<std::uint64_t>(group_size));
}

}  // namespace eventstore::core
