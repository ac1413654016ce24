// An aggregate is a plain C++ type: its state, an `Event` alias naming the
// events that change it, and one way to apply each of them.
//
//   struct Order {
//     using Event = std::variant<OrderPlaced, OrderShipped>;
//     static constexpr std::string_view category = "order";   // streams "order-<id>"
//     static constexpr int state_schema_version = 1;            // for snapshots (default 1)
//
//     bool placed = false, shipped = false;
//     void apply(const OrderPlaced&) { placed = true; }
//     void apply(const OrderShipped&) { shipped = true; }
//
//     eventstore::Decision<OrderShipped> ship(const ShipOrder& command) const;   // see decision.hpp
//   };
//
// In the decider style the state has no members to call: free functions
// `State evolve(const State&, const Event&)` (found by ADL) apply events, and
// `decide(command, state)` returns a Decision. Either style works with the
// Repository; a member apply() is used when both exist.
//
// Snapshots store the state as JSON (to_json / from_json found by ADL), in
// the shape `state_schema_version` names: raise it whenever that shape
// changes, and older snapshots are ignored (the events are replayed).
#pragma once

#include <concepts>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

namespace eventstore {

namespace detail {
template <class T>
inline constexpr bool is_variant_v = false;
template <class... Alternatives>
inline constexpr bool is_variant_v<std::variant<Alternatives...>> = true;

template <class State, class Variant>
inline constexpr bool applies_all_v = false;
}  // namespace detail

// `State` changes by `Event`: a member apply(const Event&), or a free evolve(state, event) returning the next state.
template <class State, class Event>
concept AppliesEvent = requires(State& state, const Event& event) {
  state.apply(event);
}
|| requires(const State& state, const Event& event) {
  { evolve(state, event) } -> std::convertible_to<State>;
};

namespace detail {
template <class State, class... Events>
inline constexpr bool applies_all_v<State, std::variant<Events...>> = (AppliesEvent<State, Events> && ...);
}  // namespace detail

template <class A>
concept Aggregate =
    std::default_initializable<A> && std::copy_constructible<A> && std::is_copy_assignable_v<A> && requires {
  typename A::Event;
} && detail::is_variant_v<typename A::Event> && detail::applies_all_v<A, typename A::Event>;

// An aggregate whose state can be saved as a snapshot: JSON both ways.
template <class A>
concept SnapshotCapable = Aggregate<A> && requires(const A& state, nlohmann::json& json) {
  {nlohmann::json(state)};
  { json.get<A>() } -> std::same_as<A>;
};

// Applies one event to the state, by whichever style the aggregate uses.
template <class State, class Event>
requires AppliesEvent<State, Event>
void apply_event(State& state, const Event& event) {
  if constexpr (requires { state.apply(event); })
    state.apply(event);
  else
    state = evolve(std::as_const(state), event);
}

// Applies whichever event the variant holds.
template <Aggregate A>
void apply_event(A& state, const typename A::Event& event) {
  std::visit([&](const auto& alternative) { apply_event(state, alternative); }, event);
}

// The aggregate's stream category (A::category), or empty when it names none.
template <class A>
[[nodiscard]] constexpr std::string_view aggregate_category() noexcept {
  if constexpr (requires { A::category; })
    return std::string_view{A::category};
  else
    return {};
}

// The shape of the aggregate's snapshots (A::state_schema_version), 1 by default.
template <class A>
[[nodiscard]] constexpr int state_schema_version() noexcept {
  if constexpr (requires { A::state_schema_version; })
    return static_cast<int>(A::state_schema_version);
  else
    return 1;
}

}  // namespace eventstore
