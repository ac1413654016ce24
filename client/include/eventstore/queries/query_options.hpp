// What the caller of a query asks for (QueryOptions, per call) and how the
// answers of a query type may be cached by HTTP clients (QueryHandlerOptions,
// per registration).
#pragma once

#include <chrono>
#include <string>

#include "eventstore/queries/query_answer.hpp"
#include "eventstore/store/log_position.hpp"

namespace eventstore {

struct QueryOptions {
  // The read-your-writes token: the LogPosition of the caller's own append
  // (or of anything it saw). No answer older than this is ever returned.
  LogPosition min_position{};
  // How long the bus asks the handler again while its read model is older
  // than min_position (a projection catching up) before failing with
  // QueryError::stale_read. Zero: fail at once.
  std::chrono::milliseconds position_wait{0};
  // The If-None-Match header of the request: when it names the current
  // answer's ETag the outcome is not_modified() (an HTTP 304).
  std::string if_none_match{};
  // The caller's W3C traceparent, if it is traced; the tracing middleware
  // replaces it with the query's own span.
  std::string traceparent{};
};

struct QueryHandlerOptions {
  // The Cache-Control header of every answer of the query type.
  CacheControlPolicy cache_control{};
};

}  // namespace eventstore
