#include "read_stream_page.hpp"

#include "recorded_event_rows.hpp"
#include "statements.hpp"

namespace eventstore::detail {

Result<void> read_stream_page(pq::Connection& connection, const StreamName& stream, const ReadStreamOptions& options,
                              std::vector<RecordedEvent>& page) {
  pq::BinaryParameters<4> parameters;
  parameters.set_text(0, stream.value());
  if (options.from)
    parameters.set_int64(1, options.from->value());
  else
    parameters.set_null(1);
  parameters.set_int32(2, options.max_count);
  parameters.set_text(3, options.direction == ReadDirection::forward ? "forward" : "backward");
  auto result = connection.execute(statement(StatementId::read_stream), parameters);
  if (!result) return std::unexpected(std::move(result.error()));
  return decode_recorded_events(*result, page);
}

}  // namespace eventstore::detail
