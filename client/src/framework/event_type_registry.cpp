#include "eventstore/framework/event_type_registry.hpp"

#include <string>

#include "eventstore/framework/event_metadata.hpp"
#include "eventstore/store/stream_name.hpp"

namespace eventstore {

EventTypeRegistry::Registration& EventTypeRegistry::Registration::upcast(int from_version, Upcaster upcaster) {
  EventTypeEntry& entry = registry_->entries_[index_];
  if (from_version < 1 || from_version >= entry.schema_version)
    throw std::logic_error("an upcaster of " + entry.name + " from schema version " + std::to_string(from_version) +
                           ": the versions it can start from are 1 to " + std::to_string(entry.schema_version - 1));
  if (!upcaster) throw std::logic_error("an empty upcaster for " + entry.name);
  entry.upcasters[static_cast<std::size_t>(from_version - 1)] = std::move(upcaster);
  return *this;
}

EventTypeRegistry::Registration EventTypeRegistry::add_entry(std::string name, std::type_index type,
                                                             int schema_version) {
  // Event types follow the stream-name rules on the server.
  if (auto checked = StreamName::from(name); !checked)
    throw std::logic_error("event type name \"" + name + "\": " + checked.error().message());
  if (schema_version < 1) throw std::logic_error("event type " + name + ": schema versions start at 1");
  if (by_name_.contains(name)) throw std::logic_error("event type " + name + " is registered twice");
  if (by_type_.contains(type))
    throw std::logic_error("the C++ type of " + name + " is registered already, as " +
                           entries_[by_type_.at(type)].name);
  std::size_t index = entries_.size();
  entries_.push_back(
      EventTypeEntry{name, type, schema_version, std::vector<Upcaster>(static_cast<std::size_t>(schema_version - 1))});
  by_type_.emplace(type, index);
  by_name_.emplace(std::move(name), index);
  return Registration{*this, index};
}

const EventTypeEntry* EventTypeRegistry::find(std::type_index type) const noexcept {
  auto found = by_type_.find(type);
  return found != by_type_.end() ? &entries_[found->second] : nullptr;
}

const EventTypeEntry* EventTypeRegistry::find(std::string_view name) const noexcept {
  auto found = by_name_.find(name);
  return found != by_name_.end() ? &entries_[found->second] : nullptr;
}

CommandResult<nlohmann::json> EventTypeRegistry::current_data(const RecordedEvent& event) const {
  auto data = current_data(event.type, event.data, EventMetadata::schema_version_of(event.metadata));
  if (!data)
    return std::unexpected(
        CommandError::event_not_readable("event " + describe_position(event) + ": " + data.error().message()));
  return data;
}

CommandResult<nlohmann::json> EventTypeRegistry::current_data(std::string_view type, std::string_view data,
                                                              int stored_schema_version) const {
  const EventTypeEntry* entry = find(type);
  if (entry == nullptr)
    return std::unexpected(CommandError::event_not_readable("event type " + std::string{type} + " is not registered"));
  if (stored_schema_version > entry->schema_version)
    return std::unexpected(CommandError::event_not_readable(
        entry->name + " data of schema version " + std::to_string(stored_schema_version) +
        " is newer than this program knows (" + std::to_string(entry->schema_version) + ")"));
  auto json = nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return std::unexpected(CommandError::event_not_readable(entry->name + " data is not JSON"));
  for (int version = stored_schema_version; version < entry->schema_version; ++version) {
    const Upcaster& upcaster = entry->upcasters[static_cast<std::size_t>(version - 1)];
    if (!upcaster)
      return std::unexpected(CommandError::event_not_readable("no upcaster for " + entry->name +
                                                              " from schema version " + std::to_string(version)));
    try {
      json = upcaster(std::move(json));
    } catch (const std::exception& failure) {
      return std::unexpected(CommandError::event_not_readable("the upcaster of " + entry->name +
                                                              " from schema version " + std::to_string(version) +
                                                              " failed: " + failure.what()));
    }
  }
  return json;
}

std::vector<std::string> EventTypeRegistry::missing_upcasters() const {
  std::vector<std::string> problems;
  for (const auto& entry : entries_)
    for (std::size_t step = 0; step < entry.upcasters.size(); ++step)
      if (!entry.upcasters[step])
        problems.push_back(entry.name + ": no upcaster from schema version " + std::to_string(step + 1));
  return problems;
}

std::string EventTypeRegistry::describe_position(const RecordedEvent& event) {
  return event.stream.value() + "@" + std::to_string(event.version.value());
}

CommandError EventTypeRegistry::not_registered(std::string_view type_name) {
  return CommandError::event_type_not_registered("the C++ type " + std::string{type_name} +
                                                 " is not registered as an event type");
}

}  // namespace eventstore
