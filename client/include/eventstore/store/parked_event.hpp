// An event a subscription's handler failed on after its retries, kept with
// its place in the log, the last error and the attempts until an operator
// replays or skips it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "eventstore/store/event_id.hpp"
#include "eventstore/store/log_position.hpp"
#include "eventstore/store/stream_name.hpp"
#include "eventstore/store/stream_version.hpp"

namespace eventstore {

enum class ParkedEventState { parked, replay, replayed, skipped };

[[nodiscard]] std::string_view to_string(ParkedEventState state) noexcept;

struct ParkedEvent {
  EventId event_id;
  std::int32_t partition = 0;
  StreamName stream;
  StreamVersion version;
  LogPosition log_position;
  std::string event_type;
  std::string error;
  std::int32_t attempts = 0;
  ParkedEventState state = ParkedEventState::parked;
};

}  // namespace eventstore
