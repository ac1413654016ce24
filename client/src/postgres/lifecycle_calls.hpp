// The stream lifecycle on one connection: eventstore.stream_version,
// delete_stream, tombstone_stream, truncate_stream, set_stream_limits,
// stream_state and reclaim.
#pragma once

#include <cstdint>
#include <optional>

#include "eventstore/store/expected_version.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/stream_lifecycle.hpp"
#include "eventstore/store/stream_name.hpp"
#include "pq/connection.hpp"

namespace eventstore::detail {

enum class StreamDeletion { soft, tombstone };

[[nodiscard]] Result<StreamVersion> stream_version(pq::Connection& connection, const StreamName& stream);

[[nodiscard]] Result<StreamVersion> delete_stream(pq::Connection& connection, const StreamName& stream,
                                                  ExpectedVersion expected, StreamDeletion deletion);
[[nodiscard]] Result<void> truncate_stream(pq::Connection& connection, const StreamName& stream, StreamVersion before);
[[nodiscard]] Result<void> set_stream_limits(pq::Connection& connection, const StreamName& stream,
                                             const StreamLimits& limits);
[[nodiscard]] Result<std::optional<StreamState>> stream_state(pq::Connection& connection, const StreamName& stream);
[[nodiscard]] Result<std::int64_t> reclaim(pq::Connection& connection, std::int32_t max_events);

}  // namespace eventstore::detail
