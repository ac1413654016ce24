#include "eventstore/store/parked_event.hpp"

namespace eventstore {

std::string_view to_string(ParkedEventState state) noexcept {
  switch (state) {
    case ParkedEventState::parked: return "parked";
    case ParkedEventState::replay: return "replay";
    case ParkedEventState::replayed: return "replayed";
    case ParkedEventState::skipped: return "skipped";
  }
  return "unknown";
}

}  // namespace eventstore
