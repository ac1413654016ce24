#include "eventstore/queries/query_cache_invalidator.hpp"

#include <utility>

namespace eventstore {

QueryCacheInvalidator::QueryCacheInvalidator(cache::TieredCache& cache, KeysOfEvent keys_of)
    : cache_(&cache), keys_of_(std::move(keys_of)) {}

Result<void> QueryCacheInvalidator::invalidate(const RecordedEvent& event) const {
  for (const std::string& key : keys_of_(event)) {
    if (auto done = cache_->invalidate_before(key, event.log_position); !done) return done;
  }
  return {};
}

std::expected<void, std::string> QueryCacheInvalidator::operator()(const RecordedEvent& event) const {
  if (auto done = invalidate(event); !done) return std::unexpected(done.error().describe());
  return {};
}

}  // namespace eventstore
