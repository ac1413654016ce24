// Events for tests: n events with fresh ids and data that records their index.
#pragma once

#include <string>
#include <vector>

#include "eventstore/eventstore.hpp"
#include "printers.hpp"

namespace eventstore::testing_support {

[[nodiscard]] inline std::vector<EventData> make_events(int count, const std::string& type = "Happened",
                                                        const std::string& metadata = {}) {
  std::vector<EventData> events;
  events.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i)
    events.push_back(EventData::create(type, "{\"index\": " + std::to_string(i) + "}", metadata));
  return events;
}

}  // namespace eventstore::testing_support
