// Expected-version semantics of an append (the EventStoreDB convention):
// an exact version (0-based), -1 the stream must not exist, -2 any state,
// -4 the stream must exist. A stream with no events has version -1.
#pragma once

#include <cstdint>

namespace eventstore::core {

inline constexpr std::int64_t expected_no_stream = -1;
inline constexpr std::int64_t expected_any = -2;
inline constexpr std::int64_t expected_stream_exists = -4;

// The version of a stream that has no events.
inline constexpr std::int64_t no_stream_version = -1;

// Whether an append that expects `expected` may go on a stream at `current`.
[[nodiscard]] constexpr bool expected_version_matches(std::int64_t expected, std::int64_t current) noexcept {
  switch (expected) {
    case expected_any: return true;
    case expected_no_stream: return current == no_stream_version;
    case expected_stream_exists: return current != no_stream_version;
    default: return expected == current;
  }
}

}  // namespace eventstore::core
