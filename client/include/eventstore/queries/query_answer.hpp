// What a query handler returns: the value and the position in the global log
// of the read model it was read from, so that a caller holding a newer
// position (its read-your-writes token) knows the value is too old for it,
// and an HTTP layer can derive an ETag and a Cache-Control header.
//
//   bus.handle<GetOrder>([&](const GetOrder& query) -> eventstore::Result<eventstore::QueryAnswer<OrderView>> {
//     auto [view, checkpoint] = order_views.find(query.order_id);  // read in one transaction
//     return eventstore::answer_at(checkpoint, std::move(view));
//   });
//
// The ETag is a strong validator: two answers of one query with the same
// position are the same bytes, as long as the value is read together with the
// read model's checkpoint (one transaction, or under the model's lock).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "eventstore/store/log_position.hpp"

namespace eventstore {

// Who may keep a copy of an answer: "public" (shared caches, CDNs) or "private" (the user's own).
enum class CacheAudience { shared, single_user };

// The Cache-Control header of the answers of one query type (QueryHandlerOptions).
struct CacheControlPolicy {
  // How long a client may use an answer without asking again; zero: ask
  // every time, with If-None-Match ("no-cache").
  std::chrono::seconds max_age{0};
  CacheAudience audience = CacheAudience::single_user;
  // Nobody may keep the answer (personal or sensitive data): "no-store".
  bool no_store = false;

  // "no-store", "private, no-cache", "public, max-age=60".
  [[nodiscard]] std::string header_value() const;

  friend bool operator==(const CacheControlPolicy&, const CacheControlPolicy&) = default;
};

// The strong ETag of an answer at `position`: "\"<transaction_id>-<position>\"" (quotes included).
[[nodiscard]] std::string etag_for(LogPosition position);

// Whether an If-None-Match header value names `etag`: a list of entity tags
// separated by commas, compared weakly as RFC 9110 asks (W/"x" names "x"),
// or "*". An empty header names nothing.
[[nodiscard]] bool etag_matches(std::string_view if_none_match, std::string_view etag);

template <class T>
struct QueryAnswer {
  T value;
  // The position of the read model the value was read from: its checkpoint
  // (the last event it applied) at the moment of the read.
  LogPosition position{};
  // Set by the query bus from the query type's QueryHandlerOptions.
  CacheControlPolicy cache_policy{};
  // Set by the bus: the caching middleware answered without the handler.
  bool from_cache = false;

  [[nodiscard]] std::string etag() const { return etag_for(position); }
  [[nodiscard]] std::string cache_control() const { return cache_policy.header_value(); }
};

// The answer `value` read at `position` (what a handler returns).
template <class T>
[[nodiscard]] QueryAnswer<std::remove_cvref_t<T>> answer_at(LogPosition position, T&& value) {
  return QueryAnswer<std::remove_cvref_t<T>>{std::forward<T>(value), position};
}

}  // namespace eventstore
