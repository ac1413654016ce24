// A consumer group: `size` workers share a category, member m (0 <= m < size)
// reading only the streams whose name hashes to m (64-bit FNV-1a of the name,
// modulo size). Every stream goes to exactly one member, always the same one,
// so the members need no coordination.
#pragma once

#include <cstdint>
#include <string_view>

namespace eventstore {

struct ConsumerGroup {
  std::int32_t member = 0;
  std::int32_t size = 1;

  // The member that reads the stream `stream_name` in a group of `size` (size >= 1).
  [[nodiscard]] static std::int32_t member_for(std::string_view stream_name, std::int32_t size) noexcept;
};

}  // namespace eventstore
