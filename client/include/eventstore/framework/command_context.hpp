// Who sent a command and as part of what: the ids that go into the metadata
// of every event the command writes (see EventMetadata), and the trace it
// belongs to. The command bus fills in what the sender leaves empty and makes
// the context current on the executing thread, so that the repository stamps
// the events without the handler passing anything along.
#pragma once

#include <string>

#include "eventstore/framework/event_metadata.hpp"

namespace eventstore {

struct CommandContext {
  // Identifies the command: two sends with the same id are the same command
  // (see idempotency_middleware). A new UUID when empty.
  std::string command_id{};
  // The conversation the command belongs to: pass on the correlation id of
  // the event or request that led to it. The command id when empty.
  std::string correlation_id{};
  // What caused the command (e.g. the id of an event a process reacted to);
  // for logs. The command itself is the cause of the events it writes.
  std::string causation_id{};
  // The caller's W3C traceparent, if it is traced; the tracing middleware
  // replaces it with the command's own span.
  std::string traceparent{};

  // The same context with every empty id filled in.
  [[nodiscard]] CommandContext completed() const;

  // The metadata of an event this command writes, in `schema_version`.
  [[nodiscard]] EventMetadata event_metadata(int schema_version) const;

  // The context of the command running on this thread (set by the command
  // bus around its handler); null outside one.
  [[nodiscard]] static const CommandContext* current() noexcept;
};

// Makes `context` the current one on this thread while the scope lives; scopes nest.
class CommandContextScope {
 public:
  explicit CommandContextScope(const CommandContext& context) noexcept;
  CommandContextScope(const CommandContextScope&) = delete;
  CommandContextScope& operator=(const CommandContextScope&) = delete;
  ~CommandContextScope();

 private:
  const CommandContext* previous_;
};

}  // namespace eventstore
