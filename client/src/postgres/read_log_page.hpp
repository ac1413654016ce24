// eventstore.read_all and eventstore.read_category: one page of the global
// log after a checkpoint, optionally of one category (and one member of a
// consumer group) and some event types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/store/consumer_group.hpp"
#include "eventstore/store/log_position.hpp"
#include "eventstore/store/recorded_event.hpp"
#include "eventstore/store/result.hpp"
#include "pq/connection.hpp"

namespace eventstore::detail {

// Without a category: the whole log (and no group).
[[nodiscard]] Result<std::vector<RecordedEvent>> read_log_page(pq::Connection& connection,
                                                               std::optional<std::string_view> category,
                                                               std::optional<LogPosition> after, std::int32_t max_count,
                                                               const std::vector<std::string>& event_types,
                                                               std::optional<ConsumerGroup> group = std::nullopt);

}  // namespace eventstore::detail
