// The metadata the command side writes on every event, as JSON in the
// event's metadata:
//
//   {"causation_id": "...", "command_id": "...", "correlation_id": "...",
//    "schema_version": 2, "traceparent": "00-4bf92f...-00f067...-01"}
//
// - command_id: the command that decided the event (also its idempotency key);
// - correlation_id: the conversation the command belongs to (the command id
//   of the first command of it, unless the caller says otherwise);
// - causation_id: what caused the event, i.e. the command's id;
// - traceparent: the W3C trace context of the command's span, so that a
//   projection or another service continues the same trace;
// - schema_version: the version of the event type's JSON shape the data was
//   written in (see EventTypeRegistry); missing means 1.
#pragma once

#include <string>
#include <string_view>

namespace eventstore {

struct EventMetadata {
  std::string command_id;
  std::string correlation_id;
  std::string causation_id;
  std::string traceparent;
  int schema_version = 1;

  // The JSON object; empty fields are left out.
  [[nodiscard]] std::string to_json() const;
  // Reads what it knows from metadata JSON and ignores the rest. Metadata
  // that is empty, not an object or not JSON gives the defaults (metadata
  // written by other programs is not ours to refuse).
  [[nodiscard]] static EventMetadata parse(std::string_view metadata_json);
  // Only the schema version, without parsing the rest when it is absent.
  [[nodiscard]] static int schema_version_of(std::string_view metadata_json);

  friend bool operator==(const EventMetadata&, const EventMetadata&) = default;
};

}  // namespace eventstore
