#include "eventstore/framework/middleware/tracing_middleware.hpp"

#include <optional>

#include "eventstore/framework/trace_context.hpp"

namespace eventstore {

CommandMiddleware tracing_middleware(SpanExporter exporter) {
  return [exporter = std::move(exporter)](CommandInvocation& invocation, const NextStep& next) {
    // A malformed traceparent from the caller starts a new trace, as the specification asks.
    std::optional<TraceContext> caller = TraceContext::parse(invocation.context.traceparent);
    TraceContext span = caller ? caller->child() : TraceContext::new_trace();
    invocation.context.traceparent = span.to_traceparent();

    auto wall_start = std::chrono::system_clock::now();
    auto started = std::chrono::steady_clock::now();
    auto result = next();
    if (exporter) {
      exporter(CommandSpan{
          "command " + invocation.command_type,
          span.trace_id_hex(),
          span.span_id_hex(),
          caller ? caller->span_id_hex() : std::string{},
          invocation.context.traceparent,
          invocation.context.command_id,
          wall_start,
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started),
          result.has_value(),
          result ? std::string{} : result.error().describe(),
      });
    }
    return result;
  };
}

}  // namespace eventstore
