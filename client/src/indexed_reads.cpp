#include "indexed_reads.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "binary_format.hpp"
#include "client_checks.hpp"
#include "recorded_event_rows.hpp"
#include "result_fields.hpp"
#include "type_oids.hpp"

namespace eventstore::detail {
namespace {

std::string timestamp_bytes(Timestamp time) {
  std::string bytes;
  binary_format::append_timestamp(bytes, time.time_since_epoch().count());
  return bytes;
}

Result<std::vector<RecordedEvent>> decoded(Result<QueryResult> result) {
  if (!result) return std::unexpected(std::move(result.error()));
  std::vector<RecordedEvent> events;
  if (auto rows = decode_recorded_events(result->get(), events); !rows) return std::unexpected(std::move(rows.error()));
  return events;
}

// The single count(*) of a statement.
Result<std::int64_t> count(Result<QueryResult> result, const char* what) {
  if (!result) return std::unexpected(std::move(result.error()));
  static constexpr std::uint32_t column_types[] = {type_oid::int8};
  if (auto checked = check_columns(result->get(), column_types, 1, what); !checked)
    return std::unexpected(checked.error());
  if (PQntuples(result->get()) != 1)
    return std::unexpected(Error{ErrorCode::internal, std::string{what} + " returned no row"});
  return int64_field(result->get(), 0, 0);
}

// The rows to ask a function for: it takes an integer.
std::int32_t row_limit(std::int64_t rows) {
  return static_cast<std::int32_t>(std::min<std::int64_t>(rows, std::numeric_limits<std::int32_t>::max()));
}

}  // namespace

Result<std::vector<RecordedEvent>> read_event_type_page(Connection& connection, std::string_view event_type,
                                                        std::optional<LogPosition> after, std::int32_t max_count) {
  if (auto checked = check_event_type(event_type); !checked) return std::unexpected(checked.error());
  if (auto checked = check_max_count(max_count); !checked) return std::unexpected(checked.error());
  BinaryParameters<4> parameters;
  parameters.set_text(0, event_type);
  // The function's own default: before every event.
  parameters.set_uint64(1, after ? after->transaction_id : 0);
  parameters.set_int64(2, after ? after->position.value() : 0);
  parameters.set_int32(3, max_count);
  return decoded(connection.execute(statements::read_event_type, parameters));
}

Result<std::vector<RecordedEvent>> read_time_range_page(Connection& connection, TimeRange range,
                                                        std::optional<TimeRangePosition> after,
                                                        std::int32_t max_count) {
  if (auto checked = check_max_count(max_count); !checked) return std::unexpected(checked.error());
  std::int64_t asked = max_count;
  Timestamp from = range.from;
  if (after) {
    // Every event after the cursor has its time or a later one.
    from = std::max(from, after->created_at);
    BinaryParameters<2> parameters;
    parameters.set_encoded(0, timestamp_bytes(after->created_at));
    parameters.set_int64(1, after->position.value());
    auto skipped = count(connection.execute(statements::count_at_time, parameters), "the count at the cursor");
    if (!skipped) return std::unexpected(std::move(skipped.error()));
    asked += *skipped;
  }
  BinaryParameters<6> parameters;
  parameters.set_encoded(0, timestamp_bytes(from));
  parameters.set_encoded(1, timestamp_bytes(range.to));
  parameters.set_int32(2, row_limit(asked));
  if (after) {
    parameters.set_encoded(3, timestamp_bytes(after->created_at));
    parameters.set_int64(4, after->position.value());
  } else {
    parameters.set_null(3);
    parameters.set_null(4);
  }
  parameters.set_int32(5, max_count);
  return decoded(connection.execute(statements::read_time_range, parameters));
}

Result<std::vector<RecordedEvent>> read_correlated_page(Connection& connection, std::string_view correlation_id,
                                                        std::optional<LogPosition> after, std::int32_t max_count) {
  if (auto checked = check_correlation_id(correlation_id); !checked) return std::unexpected(checked.error());
  if (auto checked = check_max_count(max_count); !checked) return std::unexpected(checked.error());
  std::int64_t asked = max_count;
  if (after) {
    BinaryParameters<3> parameters;
    parameters.set_text(0, correlation_id);
    parameters.set_uint64(1, after->transaction_id);
    parameters.set_int64(2, after->position.value());
    auto skipped = count(connection.execute(statements::count_correlated, parameters), "the count at the checkpoint");
    if (!skipped) return std::unexpected(std::move(skipped.error()));
    asked += *skipped;
  }
  BinaryParameters<5> parameters;
  parameters.set_text(0, correlation_id);
  parameters.set_int32(1, row_limit(asked));
  if (after) {
    parameters.set_uint64(2, after->transaction_id);
    parameters.set_int64(3, after->position.value());
  } else {
    parameters.set_null(2);
    parameters.set_null(3);
  }
  parameters.set_int32(4, max_count);
  return decoded(connection.execute(statements::read_correlated, parameters));
}

}  // namespace eventstore::detail
