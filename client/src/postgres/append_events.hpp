// eventstore.append through the prepared append statement: the events go as
// four parallel binary arrays (types, data, metadata, ids). Encoding and
// decoding are apart so that pipelined appends share them.
#pragma once

#include <span>

#include "eventstore/store/append_result.hpp"
#include "eventstore/store/event_data.hpp"
#include "eventstore/store/expected_version.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/stream_name.hpp"
#include "pq/connection.hpp"

namespace eventstore::detail {

// The most a protocol message may carry (the server drops the connection beyond it).
inline constexpr std::size_t largest_message_bytes = (std::size_t{1} << 30) - 1;

using AppendParameters = pq::BinaryParameters<6>;

// Checks the events as the server would (what it can alone) and lays them out
// as the append statement's parameters; `parameters` borrows the stream's name.
[[nodiscard]] Result<void> encode_append(const StreamName& stream, ExpectedVersion expected,
                                         std::span<const EventData> events, AppendParameters& parameters);

// The AppendResult in the append statement's reply.
[[nodiscard]] Result<AppendResult> decode_append_result(pq::Rows rows);

// Both, around one execution on `connection`.
[[nodiscard]] Result<AppendResult> append_events(pq::Connection& connection, const StreamName& stream,
                                                 ExpectedVersion expected, std::span<const EventData> events);

}  // namespace eventstore::detail
