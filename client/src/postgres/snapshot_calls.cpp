#include "snapshot_calls.hpp"

#include <string>

#include "loaded_stream_rows.hpp"
#include "pq/binary_format.hpp"
#include "statements.hpp"

namespace eventstore::detail {

Result<void> save_snapshot(pq::Connection& connection, const StreamName& stream, StreamVersion version,
                           std::string_view state_json, const SaveSnapshotOptions& options) {
  // jsonb in binary: a version byte, then the JSON text, which the server parses.
  std::string state;
  state.reserve(state_json.size() + 1);
  state.push_back(pq::binary_format::jsonb_version);
  state.append(state_json);
  pq::BinaryParameters<5> parameters;
  parameters.set_text(0, stream.value());
  parameters.set_int64(1, version.value());
  parameters.set_encoded(2, std::move(state));
  parameters.set_int32(3, options.state_schema_version);
  if (options.keep)
    parameters.set_int32(4, *options.keep);
  else
    parameters.set_null(4);
  auto result = connection.execute(statement(StatementId::save_snapshot), parameters);
  if (!result) return std::unexpected(std::move(result.error()));
  return {};
}

Result<LoadedStream> load_stream(pq::Connection& connection, const StreamName& stream, const LoadOptions& options) {
  pq::BinaryParameters<3> parameters;
  parameters.set_text(0, stream.value());
  parameters.set_int32(1, options.state_schema_version);
  parameters.set_int32(2, options.max_count);
  auto result = connection.execute(statement(StatementId::load), parameters);
  if (!result) return std::unexpected(std::move(result.error()));
  return decode_loaded_stream(*result, stream);
}

}  // namespace eventstore::detail
