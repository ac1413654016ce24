// One page of a stream: where to start, how many events at most, which way.
#pragma once

#include <cstdint>
#include <optional>

#include "eventstore/store/read_direction.hpp"
#include "eventstore/store/stream_version.hpp"

namespace eventstore {

struct ReadStreamOptions {
  // The first version to return. Without it: version 0 forwards, the last
  // event backwards.
  std::optional<StreamVersion> from{};
  // At least 1 (invalid_argument otherwise).
  std::int32_t max_count = 1000;
  ReadDirection direction = ReadDirection::forward;
};

}  // namespace eventstore
