// A few connections to Redis, opened when first needed. A caller waits at most
// the command timeout for a free one, so a slow Redis cannot queue callers
// behind each other beyond the bound. A failure closes the connection it
// happened on and the idle ones (they went to the same, now suspect, server).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "eventstore/cache/redis_cache_options.hpp"
#include "eventstore/store/result.hpp"
#include "redis/redis_connection.hpp"
#include "redis/redis_reply.hpp"

namespace eventstore::cache {

class RedisConnectionPool {
 public:
  explicit RedisConnectionPool(RedisCacheOptions options);

  // Runs `commands` in one round trip on a pooled connection.
  [[nodiscard]] Result<std::vector<RedisReply>> run(std::span<const RedisCommand> commands);

 private:
  // A connection that is free or null (a free slot to open one in), or an error if none came in time.
  Result<std::unique_ptr<RedisConnection>> acquire();
  void release(std::unique_ptr<RedisConnection> connection, bool healthy);

  const RedisCacheOptions options_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;
  std::size_t in_use_ = 0;
};

}  // namespace eventstore::cache
