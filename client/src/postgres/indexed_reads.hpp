// The indexed reads: eventstore.read_event_type, read_time_range and
// read_correlated, one page after a cursor each. The last two take no cursor
// of their own: a page after one is two round trips (how many events lie up
// to the cursor, then those and a page more, the first dropped), and their
// statements are planned with each call's values, so that PostgreSQL plans
// the inlined function with its index.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "eventstore/store/log_position.hpp"
#include "eventstore/store/recorded_event.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/time_range.hpp"
#include "pq/connection.hpp"

namespace eventstore::detail {

[[nodiscard]] Result<std::vector<RecordedEvent>> read_event_type_page(pq::Connection& connection,
                                                                      std::string_view event_type,
                                                                      std::optional<LogPosition> after,
                                                                      std::int32_t max_count);

[[nodiscard]] Result<std::vector<RecordedEvent>> read_time_range_page(pq::Connection& connection, TimeRange range,
                                                                      std::optional<TimeRangePosition> after,
                                                                      std::int32_t max_count);

[[nodiscard]] Result<std::vector<RecordedEvent>> read_correlated_page(pq::Connection& connection,
                                                                      std::string_view correlation_id,
                                                                      std::optional<LogPosition> after,
                                                                      std::int32_t max_count);

}  // namespace eventstore::detail
