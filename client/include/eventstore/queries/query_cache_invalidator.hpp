// Keeps cached answers fresh for callers without a token: fed the events of
// a subscription, it drops the cached answers each event makes old. Which
// keys an event touches is the application's mapping (the same keys as the
// CachingMiddleware's key functions); each key is dropped where its cached
// answer is older than the event (TieredCache::invalidate_before), so an
// answer that already reflects the event stays.
//
//   eventstore::QueryCacheInvalidator invalidator{cache, [](const eventstore::RecordedEvent& event) {
//     return std::vector<std::string>{"order:" + order_id_of(event.stream)};
//   }};
//   auto member = eventstore::Subscription::start(subscriptions, "order-cache", options, invalidator);
//
// Callers with a token never depend on it: the position rule alone keeps
// their answers at or after their token.
#pragma once

#include <expected>
#include <functional>
#include <string>
#include <vector>

#include "eventstore/cache/tiered_cache.hpp"
#include "eventstore/store/recorded_event.hpp"
#include "eventstore/store/result.hpp"

namespace eventstore {

class QueryCacheInvalidator {
 public:
  using KeysOfEvent = std::function<std::vector<std::string>(const RecordedEvent&)>;

  // `cache` must outlive the invalidator (and its copies).
  QueryCacheInvalidator(cache::TieredCache& cache, KeysOfEvent keys_of);

  // Drops each key of `event` where its answer is older than event.log_position.
  Result<void> invalidate(const RecordedEvent& event) const;

  // The same as a subscription's EventHandler (eventstore/subscriptions/event_handler.hpp):
  // an error is the Error's describe(), and the subscription retries the event.
  std::expected<void, std::string> operator()(const RecordedEvent& event) const;

 private:
  cache::TieredCache* cache_;
  KeysOfEvent keys_of_;
};

}  // namespace eventstore
