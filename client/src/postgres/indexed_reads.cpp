#include "indexed_reads.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "eventstore/store/detail/client_checks.hpp"
#include "pq/binary_format.hpp"
#include "pq/type_oids.hpp"
#include "recorded_event_rows.hpp"
#include "statements.hpp"

namespace eventstore::detail {
namespace {

std::string timestamp_bytes(Timestamp time) {
  std::string bytes;
  pq::binary_format::append_timestamp(bytes, time.time_since_epoch().count());
  return bytes;
}

Result<std::vector<RecordedEvent>> decoded(Result<pq::QueryResult> result) {
  if (!result) return std::unexpected(std::move(result.error()));
  std::vector<RecordedEvent> events;
  if (auto rows = decode_recorded_events(*result, events); !rows) return std::unexpected(std::move(rows.error()));
  return events;
}

}  // namespace

Result<std::vector<RecordedEvent>> read_event_type_page(pq::Connection& connection, std::string_view event_type,
                                                        std::optional<LogPosition> after, std::int32_t max_count) {
  if (auto checked = check_event_type(event_type); !checked) return std::unexpected(checked.error());
  if (auto checked = check_max_count(max_count); !checked) return std::unexpected(checked.error());
  pq::BinaryParameters<4> parameters;
  parameters.set_text(0, event_type);
  // The function's own default: before every event.
  parameters.set_uint64(1, after ? after->transaction_id : 0);
  parameters.set_int64(2, after ? after->position.value() : 0);
  parameters.set_int32(3, max_count);
  return decoded(connection.execute(statement(StatementId::read_event_type), parameters));
}

Result<std::vector<RecordedEvent>> read_time_range_page(pq::Connection& connection, TimeRange range,
                                                        std::optional<TimeRangePosition> after,
                                                        std::int32_t max_count) {
  if (auto checked = check_max_count(max_count); !checked) return std::unexpected(checked.error());
  pq::BinaryParameters<5> parameters;
  parameters.set_encoded(0, timestamp_bytes(range.from));
  parameters.set_encoded(1, timestamp_bytes(range.to));
  if (after) {
    parameters.set_encoded(2, timestamp_bytes(after->created_at));
    parameters.set_int64(3, after->position.value());
  } else {
    // The function's own default, before every event: -infinity, which a
    // binary timestamptz spells as the smallest int64.
    parameters.set_int64(2, std::numeric_limits<std::int64_t>::min());
    parameters.set_int64(3, 0);
  }
  parameters.set_int32(4, max_count);
  return decoded(connection.execute(statement(StatementId::read_time_range), parameters));
}

Result<std::vector<RecordedEvent>> read_correlated_page(pq::Connection& connection, std::string_view correlation_id,
                                                        std::optional<LogPosition> after, std::int32_t max_count) {
  if (auto checked = check_correlation_id(correlation_id); !checked) return std::unexpected(checked.error());
  if (auto checked = check_max_count(max_count); !checked) return std::unexpected(checked.error());
  pq::BinaryParameters<4> parameters;
  parameters.set_text(0, correlation_id);
  // The function's own default: before every event.
  parameters.set_uint64(1, after ? after->transaction_id : 0);
  parameters.set_int64(2, after ? after->position.value() : 0);
  parameters.set_int32(3, max_count);
  return decoded(connection.execute(statement(StatementId::read_correlated), parameters));
}

}  // namespace eventstore::detail
