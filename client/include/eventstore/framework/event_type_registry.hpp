// Which C++ type each stored event type is, and how its JSON changed over
// time. Every event type is registered once, by name, with the version of
// its JSON shape (its schema version) and the upcasters that turn data of
// older versions into the current shape, one step at a time:
//
//   eventstore::EventTypeRegistry registry;
//   registry.add<OrderPlaced>("OrderPlaced");
//   registry.add<LineAdded>("LineAdded", 3)
//       .upcast(1, [](nlohmann::json data) { data["quantity"] = data["qty"]; data.erase("qty"); return data; })
//       .upcast(2, [](nlohmann::json data) { ... return data; });
//
// Types are converted with nlohmann::json (to_json / from_json found by ADL,
// e.g. NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE). Events are written in the current
// schema version, which goes into their metadata (EventMetadata); reading an
// event of an older version runs the upcasters from its version up to the
// current one before from_json sees it, so old events load into new types.
//
// Registration is set-up code: it is not thread-safe, and a mistake in it
// (a name or type registered twice, an invalid name, an upcaster outside
// 1 .. schema_version - 1) throws std::logic_error. Everything else returns
// a CommandResult. Once set up, a registry may be read from any number of
// threads. Copies are independent.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeindex>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "eventstore/framework/command_error.hpp"
#include "eventstore/framework/type_name.hpp"
#include "eventstore/store/recorded_event.hpp"

namespace eventstore {

// Turns the data of one schema version into the data of the next one.
using Upcaster = std::function<nlohmann::json(nlohmann::json)>;

// An event ready for the store: its registered name, its data as JSON text,
// and the schema version that data is in.
struct EncodedEvent {
  std::string type;
  std::string data;
  int schema_version = 1;
};

// What the registry knows of one event type.
struct EventTypeEntry {
  std::string name;
  std::type_index type;
  int schema_version;
  // upcasters[k] turns version k + 1 into version k + 2.
  std::vector<Upcaster> upcasters;
};

class EventTypeRegistry {
 public:
  // Returned by add(): adds the upcasters of the type just registered.
  class Registration {
   public:
    // `upcaster` turns data of `from_version` into data of `from_version + 1`.
    Registration& upcast(int from_version, Upcaster upcaster);

   private:
    friend class EventTypeRegistry;
    Registration(EventTypeRegistry& registry, std::size_t index) noexcept : registry_(&registry), index_(index) {}
    EventTypeRegistry* registry_;
    std::size_t index_;
  };

  // Registers `Event` under `name` (the stream-name rules apply: 1 to 255
  // bytes, no control characters), with its current schema version.
  template <class Event>
  Registration add(std::string name, int schema_version = 1) {
    return add_entry(std::move(name), std::type_index{typeid(Event)}, schema_version);
  }

  // The entry of a C++ type or of a stored name; null when not registered.
  [[nodiscard]] const EventTypeEntry* find(std::type_index type) const noexcept;
  [[nodiscard]] const EventTypeEntry* find(std::string_view name) const noexcept;
  template <class Event>
  [[nodiscard]] const EventTypeEntry* find() const noexcept {
    return find(std::type_index{typeid(Event)});
  }

  // The event as it is stored: registered name, JSON data, current schema version.
  template <class Event>
  [[nodiscard]] CommandResult<EncodedEvent> encode(const Event& event) const {
    const EventTypeEntry* entry = find<Event>();
    if (entry == nullptr) return std::unexpected(not_registered(readable_type_name(typeid(Event))));
    try {
      nlohmann::json data = event;
      return EncodedEvent{entry->name, data.dump(), entry->schema_version};
    } catch (const std::exception& failure) {
      return std::unexpected(CommandError::event_type_not_registered("event type " + entry->name +
                                                                     " cannot be written as JSON: " + failure.what()));
    }
  }

  // The data of a stored event in the current shape of its type: parsed,
  // then upcast from the schema version in its metadata.
  [[nodiscard]] CommandResult<nlohmann::json> current_data(const RecordedEvent& event) const;
  [[nodiscard]] CommandResult<nlohmann::json> current_data(std::string_view type, std::string_view data,
                                                           int stored_schema_version) const;

  // A stored event as `Event`, which must be the type registered under the
  // event's name.
  template <class Event>
  [[nodiscard]] CommandResult<Event> decode(const RecordedEvent& event) const {
    const EventTypeEntry* entry = find<Event>();
    if (entry == nullptr) return std::unexpected(not_registered(readable_type_name(typeid(Event))));
    if (entry->name != event.type)
      return std::unexpected(CommandError::event_not_readable("event " + describe_position(event) + " is a " +
                                                              event.type + ", not a " + entry->name));
    auto data = current_data(event);
    if (!data) return std::unexpected(std::move(data.error()));
    return from_current_data<Event>(*data, event);
  }

  // `data`, already in the current shape, as `Event`.
  template <class Event>
  [[nodiscard]] static CommandResult<Event> from_current_data(const nlohmann::json& data, const RecordedEvent& event) {
    try {
      return data.get<Event>();
    } catch (const std::exception& failure) {
      return std::unexpected(CommandError::event_not_readable("event " + describe_position(event) + " (" + event.type +
                                                              ") does not fit its type: " + failure.what()));
    }
  }

  // Types whose chain of upcasters has a gap, one line each; empty when
  // every registered version can be read. Worth asserting at start-up.
  [[nodiscard]] std::vector<std::string> missing_upcasters() const;

  // "order-42@3", for messages.
  [[nodiscard]] static std::string describe_position(const RecordedEvent& event);

 private:
  Registration add_entry(std::string name, std::type_index type, int schema_version);
  [[nodiscard]] static CommandError not_registered(std::string_view type_name);

  std::vector<EventTypeEntry> entries_;
  std::unordered_map<std::type_index, std::size_t> by_type_;
  std::map<std::string, std::size_t, std::less<>> by_name_;
};

}  // namespace eventstore
