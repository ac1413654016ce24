// eventstore.stats(), eventstore.category_stats and eventstore.event_type_stats
// on one connection, decoded from binary rows.
#pragma once

#include <vector>

#include "eventstore/postgres/store_statistics.hpp"
#include "eventstore/store/result.hpp"
#include "pq/connection.hpp"

namespace eventstore::detail {

[[nodiscard]] Result<StoreStatistics> read_store_statistics(pq::Connection& connection);
[[nodiscard]] Result<std::vector<CategoryStatistics>> read_category_statistics(pq::Connection& connection);
[[nodiscard]] Result<std::vector<EventTypeStatistics>> read_event_type_statistics(pq::Connection& connection);

}  // namespace eventstore::detail
