// What a subscription reads: the whole global log or one category, and every
// event type or only some. The server keeps it with the subscription (every
// member must read the same) and counts the lag over it.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace eventstore {

struct SubscriptionSource {
  // The streams of this category only; the whole log without it.
  std::optional<std::string> category;
  // Only these event types; every type when empty.
  std::vector<std::string> event_types;

  [[nodiscard]] static SubscriptionSource all() { return {}; }
  [[nodiscard]] static SubscriptionSource of_category(std::string name) { return {std::move(name), {}}; }
  [[nodiscard]] static SubscriptionSource of_types(std::vector<std::string> types) {
    return {std::nullopt, std::move(types)};
  }

  friend bool operator==(const SubscriptionSource&, const SubscriptionSource&) = default;
};

}  // namespace eventstore
