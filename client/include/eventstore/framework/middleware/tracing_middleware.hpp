// Middleware that gives every command a span of a W3C trace: a child of the
// caller's span when the CommandContext brings a traceparent, the root of a
// new trace otherwise. While the command runs, its context carries the
// span's traceparent, so that the events it writes carry it in their
// metadata and whoever reads them continues the trace. Finished spans go to
// `exporter` (e.g. to an OpenTelemetry exporter, or a vector in a test).
//
//   bus.use(eventstore::tracing_middleware([&](const eventstore::CommandSpan& span) { spans.push_back(span); }));
//   bus.send(ShipOrder{"42", "DHL"}, {.traceparent = incoming_request.header("traceparent")});
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "eventstore/framework/command_middleware.hpp"

namespace eventstore {

struct CommandSpan {
  // "command ShipOrder"
  std::string name;
  std::string trace_id;
  std::string span_id;
  // Empty for the root of a trace.
  std::string parent_span_id;
  // The traceparent the command's events carry.
  std::string traceparent;
  std::string command_id;
  std::chrono::system_clock::time_point start;
  std::chrono::microseconds duration;
  bool succeeded;
  // The error's describe() when the command did not succeed.
  std::string error;
};

using SpanExporter = std::function<void(const CommandSpan&)>;

// Without an exporter only the trace context is propagated.
[[nodiscard]] CommandMiddleware tracing_middleware(SpanExporter exporter = {});

}  // namespace eventstore
