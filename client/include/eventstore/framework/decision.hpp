// What a command method of an aggregate decides: the events that record the
// change, or a rejection that says which business rule refused it. A
// rejection is a value, not an exception, so a handler returns it like any
// other outcome:
//
//   eventstore::Decision<OrderShipped> ship(const ShipOrder& command) const {
//     if (!paid) return eventstore::reject("order is not paid");
//     return OrderShipped{command.carrier};
//   }
//
// A decision may also hold several events, or none (the command asks for
// what is already the case, so there is nothing to record).
#pragma once

#include <concepts>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace eventstore {

// A business rule refused the command; `reason` says which, in words for the caller.
struct Rejection {
  std::string reason;

  friend bool operator==(const Rejection&, const Rejection&) = default;
};

[[nodiscard]] inline Rejection reject(std::string reason) { return Rejection{std::move(reason)}; }

template <class... Events>
requires(sizeof...(Events) > 0) class Decision {
 public:
  using Event = std::variant<Events...>;

  // return eventstore::reject("order already shipped");
  Decision(Rejection rejection) : rejection_(std::move(rejection)) {}  // NOLINT: implicit on purpose

  // return OrderShipped{"DHL"};
  template <class SingleEvent>
  requires(std::same_as<std::remove_cvref_t<SingleEvent>, Events> || ...)
      Decision(SingleEvent&& event) {  // NOLINT: implicit on purpose
    events_.emplace_back(std::forward<SingleEvent>(event));
  }

  // Several events, appended together in this order; an empty list records nothing.
  Decision(std::vector<Event> events) : events_(std::move(events)) {}  // NOLINT: implicit on purpose

  // Nothing to record: the command is already satisfied.
  [[nodiscard]] static Decision nothing() { return Decision{std::vector<Event>{}}; }

  [[nodiscard]] bool rejected() const noexcept { return rejection_.has_value(); }
  // Only when rejected().
  [[nodiscard]] const Rejection& rejection() const { return *rejection_; }
  // Empty when rejected.
  [[nodiscard]] const std::vector<Event>& events() const noexcept { return events_; }

 private:
  std::optional<Rejection> rejection_;
  std::vector<Event> events_;
};

}  // namespace eventstore
