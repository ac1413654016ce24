#include "client_options_check.hpp"

#include <string>

namespace eventstore::detail {
namespace {

std::unexpected<Error> invalid(std::string message) {
  return std::unexpected(Error{ErrorCode::invalid_argument, "ClientOptions: " + std::move(message)});
}

}  // namespace

Result<void> check_client_options(const ClientOptions& options) {
  const PoolOptions& pool = options.pool;
  if (pool.max_size < 1) return invalid("pool.max_size must be at least 1");
  if (pool.min_size > pool.max_size) return invalid("pool.min_size must not exceed pool.max_size");
  if (pool.checkout_timeout.count() < 0) return invalid("pool.checkout_timeout must not be negative");
  if (pool.health_check_after_idle.count() < 0) return invalid("pool.health_check_after_idle must not be negative");
  if (pool.idle_timeout.count() <= 0) return invalid("pool.idle_timeout must be positive");
  if (pool.max_lifetime.count() <= 0) return invalid("pool.max_lifetime must be positive");
  if (!options.pipelined_appends) return {};
  if (options.pipeline_connections &&
      (*options.pipeline_connections < 1 || *options.pipeline_connections > pool.max_size))
    return invalid("pipeline_connections must be between 1 and pool.max_size");
  if (options.pipeline_batch_size < 1) return invalid("pipeline_batch_size must be at least 1");
  return {};
}

}  // namespace eventstore::detail
