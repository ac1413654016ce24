// Middleware that gives every query a span of a W3C trace: a child of the
// caller's span when QueryOptions::traceparent brings one, the root of a new
// trace otherwise. While the query runs, the options the handler sees carry
// the span's traceparent (to pass on to the read model's database, say).
// Finished spans go to `exporter`.
//
//   bus.use(eventstore::query_tracing_middleware([&](const eventstore::QuerySpan& span) { spans.push_back(span); }));
//   bus.ask(GetOrder{"42"}, {.traceparent = incoming_request.header("traceparent")});
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "eventstore/queries/query_middleware.hpp"
#include "eventstore/store/log_position.hpp"

namespace eventstore {

struct QuerySpan {
  // "query GetOrder"
  std::string name;
  std::string trace_id;
  std::string span_id;
  // Empty for the root of a trace.
  std::string parent_span_id;
  // The traceparent the handler saw.
  std::string traceparent;
  std::chrono::system_clock::time_point start;
  std::chrono::microseconds duration;
  bool succeeded;
  // The answer's position when it succeeded; the caller's token.
  LogPosition position{};
  LogPosition min_position{};
  bool from_cache = false;
  // The error's describe() when the query did not succeed.
  std::string error;
};

using QuerySpanExporter = std::function<void(const QuerySpan&)>;

// Without an exporter only the trace context is propagated.
[[nodiscard]] QueryMiddleware query_tracing_middleware(QuerySpanExporter exporter = {});

}  // namespace eventstore
