// An event to append: its id, its type, and its data and metadata as JSON
// text. The JSON is checked by the server (invalid_json); empty metadata is
// stored as SQL NULL.
#pragma once

#include <string>
#include <utility>

#include "eventstore/store/event_id.hpp"

namespace eventstore {

struct EventData {
  EventId id;
  std::string type;
  std::string data;
  std::string metadata{};

  // An event with a new EventId::generate() id. Keep the returned value to
  // retry an append: the same ids make the retry idempotent.
  [[nodiscard]] static EventData create(std::string type, std::string data, std::string metadata = {}) {
    return EventData{EventId::generate(), std::move(type), std::move(data), std::move(metadata)};
  }
};

}  // namespace eventstore
