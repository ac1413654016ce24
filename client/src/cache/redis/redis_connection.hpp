// One connection to Redis (a hiredis context), with bounded connect and
// command times. After any error the connection is unusable: the pool closes
// it and opens another.
#pragma once

#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "eventstore/store/result.hpp"
#include "redis/redis_reply.hpp"

struct redisContext;

namespace eventstore::cache {

class RedisConnection {
 public:
  [[nodiscard]] static Result<std::unique_ptr<RedisConnection>> open(const std::string& host, int port,
                                                                     std::chrono::milliseconds connect_timeout,
                                                                     std::chrono::milliseconds command_timeout);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends every command, then reads every reply: one round trip. An error
  // reply of Redis is a reply here, not an Error; an Error means the
  // connection failed (and is unusable from now on).
  [[nodiscard]] Result<std::vector<RedisReply>> run(std::span<const RedisCommand> commands);

 private:
  explicit RedisConnection(redisContext* context) : context_(context) {}

  redisContext* context_;
};

}  // namespace eventstore::cache
