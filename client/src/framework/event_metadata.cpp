#include "eventstore/framework/event_metadata.hpp"

#include <nlohmann/json.hpp>

namespace eventstore {
namespace {

std::string string_field(const nlohmann::json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string{};
}

int schema_version_field(const nlohmann::json& object) {
  auto found = object.find("schema_version");
  if (found == object.end() || !found->is_number_integer()) return 1;
  auto version = found->get<long long>();
  return version >= 1 && version <= 1'000'000 ? static_cast<int>(version) : 1;
}

}  // namespace

std::string EventMetadata::to_json() const {
  nlohmann::json object = nlohmann::json::object();
  if (!command_id.empty()) object["command_id"] = command_id;
  if (!correlation_id.empty()) object["correlation_id"] = correlation_id;
  if (!causation_id.empty()) object["causation_id"] = causation_id;
  if (!traceparent.empty()) object["traceparent"] = traceparent;
  object["schema_version"] = schema_version;
  return object.dump();
}

EventMetadata EventMetadata::parse(std::string_view metadata_json) {
  EventMetadata metadata;
  if (metadata_json.empty()) return metadata;
  auto object = nlohmann::json::parse(metadata_json, nullptr, /*allow_exceptions=*/false);
  if (!object.is_object()) return metadata;
  metadata.command_id = string_field(object, "command_id");
  metadata.correlation_id = string_field(object, "correlation_id");
  metadata.causation_id = string_field(object, "causation_id");
  metadata.traceparent = string_field(object, "traceparent");
  metadata.schema_version = schema_version_field(object);
  return metadata;
}

int EventMetadata::schema_version_of(std::string_view metadata_json) {
  // Most events of a store are at schema version 1 or written by others:
  // skip the parse unless the key is there at all.
  if (metadata_json.find("\"schema_version\"") == std::string_view::npos) return 1;
  auto object = nlohmann::json::parse(metadata_json, nullptr, /*allow_exceptions=*/false);
  return object.is_object() ? schema_version_field(object) : 1;
}

}  // namespace eventstore
