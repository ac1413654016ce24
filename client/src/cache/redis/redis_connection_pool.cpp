#include "redis/redis_connection_pool.hpp"

#include <algorithm>
#include <utility>

namespace eventstore::cache {

RedisConnectionPool::RedisConnectionPool(RedisCacheOptions options) : options_(std::move(options)) {}

Result<std::unique_ptr<RedisConnection>> RedisConnectionPool::acquire() {
  const auto size = std::max<std::size_t>(options_.pool_size, 1);
  std::unique_lock lock(mutex_);
  const bool free =
      freed_.wait_for(lock, options_.command_timeout, [&] { return !idle_.empty() || in_use_ + idle_.size() < size; });
  if (!free) {
    return std::unexpected(
        Error(ErrorCode::pool_exhausted, "redis: no connection became free within the command timeout"));
  }
  ++in_use_;
  if (idle_.empty()) return std::unique_ptr<RedisConnection>{};
  auto connection = std::move(idle_.back());
  idle_.pop_back();
  return connection;
}

void RedisConnectionPool::release(std::unique_ptr<RedisConnection> connection, bool healthy) {
  std::vector<std::unique_ptr<RedisConnection>> closing;
  {
    std::lock_guard lock(mutex_);
    --in_use_;
    if (healthy) {
      idle_.push_back(std::move(connection));
    } else {
      closing.swap(idle_);
    }
  }
  freed_.notify_all();
  // Closed outside the lock: closing is a system call.
}

Result<std::vector<RedisReply>> RedisConnectionPool::run(std::span<const RedisCommand> commands) {
  auto acquired = acquire();
  if (!acquired) return std::unexpected(acquired.error());
  auto connection = std::move(*acquired);
  if (!connection) {
    auto opened =
        RedisConnection::open(options_.host, options_.port, options_.connect_timeout, options_.command_timeout);
    if (!opened) {
      release(nullptr, false);
      return std::unexpected(opened.error());
    }
    connection = std::move(*opened);
  }
  auto replies = connection->run(commands);
  if (!replies) {
    release(nullptr, false);  // `connection` is closed when it goes out of scope
    return std::unexpected(replies.error());
  }
  release(std::move(connection), true);
  return replies;
}

}  // namespace eventstore::cache
