// eventstore.append through the prepared append statement: the events go as
// four parallel binary arrays (types, data, metadata, ids).
#pragma once

#include <span>

#include "connection.hpp"
#include "eventstore/append_result.hpp"
#include "eventstore/event_data.hpp"
#include "eventstore/expected_version.hpp"
#include "eventstore/result.hpp"
#include "eventstore/stream_name.hpp"

namespace eventstore::detail {

// The most a protocol message may carry (the server drops the connection beyond it).
inline constexpr std::size_t largest_message_bytes = (std::size_t{1} << 30) - 1;

[[nodiscard]] Result<AppendResult> append_events(Connection& connection, const StreamName& stream,
                                                 ExpectedVersion expected, std::span<const EventData> events);

}  // namespace eventstore::detail
