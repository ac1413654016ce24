// eventstore.save_snapshot and eventstore.load on one connection.
#pragma once

#include <string_view>

#include "eventstore/store/loaded_stream.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/stream_name.hpp"
#include "eventstore/store/stream_version.hpp"
#include "pq/connection.hpp"

namespace eventstore::detail {

[[nodiscard]] Result<void> save_snapshot(pq::Connection& connection, const StreamName& stream, StreamVersion version,
                                         std::string_view state_json, const SaveSnapshotOptions& options);

[[nodiscard]] Result<LoadedStream> load_stream(pq::Connection& connection, const StreamName& stream,
                                               const LoadOptions& options);

}  // namespace eventstore::detail
