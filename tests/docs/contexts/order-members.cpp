// Member functions of the Order aggregate: the sample's Order with its state,
// and the private rule every change checks first.
#include <optional>

#include <eventstore/framework.hpp>

#include "orders.hpp"

namespace docs_fragment {
using namespace orders;

struct OrderMembers : Order {
  [[nodiscard]] std::optional<eventstore::Rejection> refuse_changes() const {
    if (status == OrderStatus::none) return eventstore::reject("order does not exist");
    return std::nullopt;
  }

  // @fragment
};
}  // namespace docs_fragment
