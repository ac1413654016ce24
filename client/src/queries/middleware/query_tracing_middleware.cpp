#include "eventstore/queries/middleware/query_tracing_middleware.hpp"

#include <optional>

#include "eventstore/framework/trace_context.hpp"

namespace eventstore {

QueryMiddleware query_tracing_middleware(QuerySpanExporter exporter) {
  return [exporter = std::move(exporter)](QueryInvocation& invocation, const NextQueryStep& next) {
    // A malformed traceparent from the caller starts a new trace, as the specification asks.
    std::optional<TraceContext> caller = TraceContext::parse(invocation.options.traceparent);
    TraceContext span = caller ? caller->child() : TraceContext::new_trace();
    invocation.options.traceparent = span.to_traceparent();

    auto wall_start = std::chrono::system_clock::now();
    auto started = std::chrono::steady_clock::now();
    auto result = next();
    if (exporter) {
      exporter(QuerySpan{
          "query " + invocation.query_type,
          span.trace_id_hex(),
          span.span_id_hex(),
          caller ? caller->span_id_hex() : std::string{},
          invocation.options.traceparent,
          wall_start,
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started),
          result.has_value(),
          result ? result->position : LogPosition{},
          invocation.options.min_position,
          result ? result->from_cache : false,
          result ? std::string{} : result.error().describe(),
      });
    }
    return result;
  };
}

}  // namespace eventstore
