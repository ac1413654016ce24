// eventstore.save_snapshot and eventstore.load on one connection.
#pragma once

#include <string_view>

#include "connection.hpp"
#include "eventstore/loaded_stream.hpp"
#include "eventstore/result.hpp"
#include "eventstore/stream_name.hpp"
#include "eventstore/stream_version.hpp"

namespace eventstore::detail {

[[nodiscard]] Result<void> save_snapshot(Connection& connection, const StreamName& stream, StreamVersion version,
                                         std::string_view state_json, const SaveSnapshotOptions& options);

[[nodiscard]] Result<LoadedStream> load_stream(Connection& connection, const StreamName& stream,
                                               const LoadOptions& options);

}  // namespace eventstore::detail
