// How GoogleTest prints the client's values in failure messages.
#pragma once

#include <ostream>

#include "eventstore/eventstore.hpp"

namespace eventstore {

inline void PrintTo(const EventId& id, std::ostream* out) { *out << id.to_string(); }
inline void PrintTo(const StreamVersion& version, std::ostream* out) {
  *out << "StreamVersion{" << version.value() << "}";
}
inline void PrintTo(const GlobalPosition& position, std::ostream* out) {
  *out << "GlobalPosition{" << position.value() << "}";
}
inline void PrintTo(const LogPosition& position, std::ostream* out) {
  *out << "LogPosition{" << position.transaction_id << ", " << position.position.value() << "}";
}
inline void PrintTo(const AppendResult& result, std::ostream* out) {
  *out << "AppendResult{next_expected_version " << result.next_expected_version.value() << ", positions "
       << result.first_position.value() << ".." << result.last_position.value() << "}";
}
inline void PrintTo(const Error& error, std::ostream* out) { *out << error.describe(); }

}  // namespace eventstore
