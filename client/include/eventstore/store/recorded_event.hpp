// An event as stored: where it is (stream and version, log position), what
// it is, and when it was appended.
#pragma once

#include <chrono>
#include <string>

#include "eventstore/store/event_id.hpp"
#include "eventstore/store/log_position.hpp"
#include "eventstore/store/stream_name.hpp"
#include "eventstore/store/stream_version.hpp"

namespace eventstore {

struct RecordedEvent {
  StreamName stream;
  StreamVersion version;
  // Resume a read of the global log after this event with this value.
  LogPosition log_position;
  EventId id;
  std::string type;
  // JSON text as the server prints jsonb (normalised: key order, spacing).
  std::string data;
  // JSON text, or empty when the event has no metadata.
  std::string metadata;
  // The start of the appending transaction.
  std::chrono::sys_time<std::chrono::microseconds> created_at;
};

}  // namespace eventstore
