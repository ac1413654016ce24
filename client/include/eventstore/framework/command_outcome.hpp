// What a command that succeeded did: which stream it wrote, which events, at
// which version the stream is now, and how many concurrency conflicts it
// went through on the way.
#pragma once

#include <string>
#include <vector>

#include "eventstore/store/stream_version.hpp"

namespace eventstore {

struct CommandOutcome {
  // The stream the command wrote or would have written; empty for a handler that has none.
  std::string stream{};
  // The stream's version after the command (its last event's version).
  StreamVersion version = StreamVersion::no_stream();
  // The types of the events appended, in order; empty when the decision was
  // that nothing needed recording.
  std::vector<std::string> event_types{};
  // Wrong-expected-version conflicts that made the command reload, decide again and append again.
  int conflicts = 0;
  // Given back by the idempotency middleware: an earlier command with the
  // same id produced this outcome, and nothing was done this time.
  bool repeated = false;

  friend bool operator==(const CommandOutcome&, const CommandOutcome&) = default;
};

}  // namespace eventstore
