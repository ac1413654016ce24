// Tests of command handling that read like the domain: given the events an
// aggregate already has, when a command is sent, then these events are
// appended, or the command fails with this message.
//
//   class OrderRules : public ::testing::Test, protected eventstore::testing::GivenWhenThen {
//    protected:
//     OrderRules() : GivenWhenThen{orders::event_types()} { aggregate<Order>(orders::handle_order_commands); }
//   };
//
//   TEST_F(OrderRules, ships_a_paid_order) {
//     given<Order>(OrderPlaced{"c-7", "EUR"}, LineAdded{"A-100", 2, 1250}, PaymentConfirmed{2500})
//         .when(ShipOrder{"42", "DHL"})
//         .then(OrderShipped{"DHL"});
//   }
//   TEST_F(OrderRules, no_shipping_an_unpaid_order) {
//     given<Order>(OrderPlaced{"c-7", "EUR"}).when(ShipOrder{"42", "DHL"}).then_error("order is not paid");
//   }
//
// Each scenario runs the application's own wiring (the function that
// registers the aggregate's command handlers on a bus, with a Repository) on
// a fresh InMemoryEventStore, with snapshots in an InMemorySnapshotStore when
// the repository options ask for them. The given events go through the
// registry into the store and are read back by the repository, so their JSON
// mappings are tested too. They become the history of the first stream of
// the aggregate's category the command touches, whatever its id.
//
// Expected events are compared by type name and JSON (as the registry writes
// them), so event types need no operator==. A mismatch throws
// ScenarioFailure with both sides written out; test frameworks report it as
// a failure of the test.
#pragma once

#include <algorithm>
#include <any>
#include <concepts>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "eventstore/framework/aggregate.hpp"
#include "eventstore/framework/command_bus.hpp"
#include "eventstore/framework/event_metadata.hpp"
#include "eventstore/framework/event_type_registry.hpp"
#include "eventstore/framework/repository.hpp"
#include "eventstore/framework/type_name.hpp"
#include "eventstore/testing/detail/history_seeding_store.hpp"
#include "eventstore/testing/in_memory_event_store.hpp"
#include "eventstore/testing/in_memory_snapshot_store.hpp"

namespace eventstore::testing {

class ScenarioFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Registers the command handlers of aggregate A on a bus, using the repository given.
template <Aggregate A>
using CommandWiring = std::function<void(CommandBus&, Repository<A>&)>;

template <Aggregate A>
class Scenario {
 public:
  Scenario(const EventTypeRegistry& registry, CommandWiring<A> wiring, RepositoryOptions options,
           std::vector<EventData> history)
      : registry_(&registry), wiring_(std::move(wiring)), options_(std::move(options)) {
    std::string category = options_.category.empty() ? std::string{aggregate_category<A>()} : options_.category;
    store_ = std::make_unique<detail::HistorySeedingStore>(std::move(category), std::move(history));
  }

  // Sends `command` through a bus wired by the application, once.
  template <class Command>
  Scenario& when(const Command& command, CommandContext context = {}) {
    if (outcome_) throw ScenarioFailure("a scenario sends one command: when() was called twice");
    if constexpr (SnapshotCapable<A>) {
      if (options_.snapshots.enabled()) {
        snapshots_ = std::make_unique<InMemorySnapshotStore>(*store_);
        repository_ = std::make_unique<Repository<A>>(*store_, *snapshots_, *registry_, options_);
      }
    }
    if (!repository_) repository_ = std::make_unique<Repository<A>>(*store_, *registry_, options_);
    bus_ = std::make_unique<CommandBus>();
    wiring_(*bus_, *repository_);
    command_description_ = command_type_name<Command>();
    outcome_ = bus_->send(command, std::move(context));
    return *this;
  }

  // The command succeeded and appended exactly these events, in this order
  // (none: it succeeded and appended nothing).
  template <class... Events>
  Scenario& then(const Events&... expected) {
    std::vector<detail::WrittenEvent> wanted;
    (wanted.push_back(written(expected)), ...);
    const auto& result = outcome();
    if (!result)
      fail("expected " + detail::describe_events(wanted) + "\nbut the command failed: " + result.error().describe());
    auto appended = detail::written_events(new_events());
    if (appended.size() != wanted.size() || !std::equal(appended.begin(), appended.end(), wanted.begin(), same_event))
      fail("expected " + detail::describe_events(wanted) + "\nbut the command appended " +
           detail::describe_events(appended));
    return *this;
  }

  // The command succeeded without appending anything.
  Scenario& then_nothing() { return then(); }

  // The command failed with `message`: the rejection's reason, one of the
  // validation errors ("quantity: must be positive", or only its message),
  // or the error's message; and appended nothing.
  Scenario& then_error(std::string_view message) {
    const auto& result = outcome();
    if (result)
      fail("expected the error \"" + std::string{message} + "\"\nbut the command succeeded and appended " +
           detail::describe_events(detail::written_events(new_events())));
    const CommandError& error = result.error();
    bool matches = error.message() == message;
    for (const auto& problem : error.validation_errors())
      matches = matches || problem.describe() == message || problem.message == message;
    if (!matches) fail("expected the error \"" + std::string{message} + "\"\nbut got " + error.describe());
    if (auto appended = new_events(); !appended.empty())
      fail("the command failed but appended " + detail::describe_events(detail::written_events(appended)));
    return *this;
  }

  // The bus's result.
  [[nodiscard]] const CommandResult<CommandOutcome>& outcome() const {
    if (!outcome_) throw ScenarioFailure("call when() before then()");
    return *outcome_;
  }
  // The events the command appended.
  [[nodiscard]] std::vector<RecordedEvent> new_events() const { return store_->new_events(); }
  // The aggregate `id` as the repository loads it after the command.
  [[nodiscard]] A state(std::string_view id) const {
    if (!repository_) throw ScenarioFailure("call when() before state()");
    auto loaded = repository_->load(id);
    if (!loaded) throw ScenarioFailure("loading " + std::string{id} + " failed: " + loaded.error().describe());
    return std::move(loaded->state);
  }

 private:
  template <class Event>
  [[nodiscard]] detail::WrittenEvent written(const Event& event) const {
    auto encoded = registry_->encode(event);
    if (!encoded) throw ScenarioFailure("expected event: " + encoded.error().describe());
    return detail::WrittenEvent{encoded->type, nlohmann::json::parse(encoded->data)};
  }

  [[nodiscard]] static bool same_event(const detail::WrittenEvent& left, const detail::WrittenEvent& right) {
    return left.type == right.type && left.data == right.data;
  }

  [[noreturn]] void fail(const std::string& why) const {
    throw ScenarioFailure("given/when/then for " + readable_type_name(typeid(A)) + ", when " + command_description_ +
                          ":\n" + why);
  }

  const EventTypeRegistry* registry_;
  CommandWiring<A> wiring_;
  RepositoryOptions options_;
  std::unique_ptr<detail::HistorySeedingStore> store_;
  std::unique_ptr<InMemorySnapshotStore> snapshots_;
  std::unique_ptr<Repository<A>> repository_;
  std::unique_ptr<CommandBus> bus_;
  std::string command_description_;
  std::optional<CommandResult<CommandOutcome>> outcome_;
};

class GivenWhenThen {
 public:
  // The application's registry; kept by the fixture.
  explicit GivenWhenThen(EventTypeRegistry registry) : registry_(std::move(registry)) {}

  // How commands of aggregate A are handled: the application's wiring, and the repository options to use.
  template <Aggregate A>
  GivenWhenThen& aggregate(CommandWiring<A> wiring, RepositoryOptions options = {}) {
    wirings_.insert_or_assign(std::type_index{typeid(A)}, Wiring<A>{std::move(wiring), std::move(options)});
    return *this;
  }

  // A scenario whose aggregate already has these events (none: a new
  // aggregate). An EventData is stored as it is, e.g. to give an event in
  // the JSON shape of an older schema version.
  template <Aggregate A, class... Events>
  [[nodiscard]] Scenario<A> given(const Events&... history) const {
    auto found = wirings_.find(std::type_index{typeid(A)});
    if (found == wirings_.end())
      throw ScenarioFailure("no command handling is set up for " + readable_type_name(typeid(A)) + ": call aggregate<" +
                            readable_type_name(typeid(A)) + ">(wiring) first");
    const auto& wiring = std::any_cast<const Wiring<A>&>(found->second);
    std::vector<EventData> events;
    (events.push_back(history_event(history)), ...);
    return Scenario<A>{registry_, wiring.wiring, wiring.options, std::move(events)};
  }

  [[nodiscard]] const EventTypeRegistry& registry() const noexcept { return registry_; }

 private:
  template <Aggregate A>
  struct Wiring {
    CommandWiring<A> wiring;
    RepositoryOptions options;
  };

  template <class Event>
  [[nodiscard]] EventData history_event(const Event& event) const {
    // Stored as given: e.g. an event in the shape an older program wrote.
    if constexpr (std::same_as<Event, EventData>) {
      return event;
    } else {
      auto encoded = registry_.encode(event);
      if (!encoded) throw ScenarioFailure("given event: " + encoded.error().describe());
      EventMetadata metadata{"given", "given", "given", "", encoded->schema_version};
      return EventData::create(std::move(encoded->type), std::move(encoded->data), metadata.to_json());
    }
  }

  EventTypeRegistry registry_;
  std::unordered_map<std::type_index, std::any> wirings_;
};

}  // namespace eventstore::testing
