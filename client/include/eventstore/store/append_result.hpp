// What an append reports: the version to expect for the next append to the
// stream, and the global positions of the first and last event written.
#pragma once

#include "eventstore/store/global_position.hpp"
#include "eventstore/store/stream_version.hpp"

namespace eventstore {

struct AppendResult {
  StreamVersion next_expected_version;
  GlobalPosition first_position;
  GlobalPosition last_position;

  friend constexpr bool operator==(const AppendResult&, const AppendResult&) noexcept = default;
};

}  // namespace eventstore
