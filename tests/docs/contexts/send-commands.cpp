// Statements of a clerk sending commands for the order `id` through a bus.
#include <string>
#include <utility>

#include <eventstore/framework.hpp>

#include "orders.hpp"

namespace docs_fragment {
using namespace orders;

void clerk(const eventstore::CommandBus& bus, const std::string& id) {
  auto send = [&](const auto& command, eventstore::CommandContext context) {
    return bus.send(command, std::move(context));
  };
  // @fragment
}
}  // namespace docs_fragment
