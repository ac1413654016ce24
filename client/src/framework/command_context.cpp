#include "eventstore/framework/command_context.hpp"

#include "eventstore/store/event_id.hpp"

namespace eventstore {
namespace {

thread_local const CommandContext* current_context = nullptr;

}  // namespace

CommandContext CommandContext::completed() const {
  CommandContext context = *this;
  if (context.command_id.empty()) context.command_id = EventId::generate().to_string();
  if (context.correlation_id.empty()) context.correlation_id = context.command_id;
  return context;
}

EventMetadata CommandContext::event_metadata(int schema_version) const {
  return EventMetadata{command_id, correlation_id, command_id, traceparent, schema_version};
}

const CommandContext* CommandContext::current() noexcept { return current_context; }

CommandContextScope::CommandContextScope(const CommandContext& context) noexcept : previous_(current_context) {
  current_context = &context;
}

CommandContextScope::~CommandContextScope() { current_context = previous_; }

}  // namespace eventstore
