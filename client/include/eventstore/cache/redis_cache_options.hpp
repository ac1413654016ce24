// Where level 2 is and how long it may take: every wait on Redis is bounded,
// so a slow or dead Redis costs a request at most connect + command timeout.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace eventstore::cache {

struct RedisCacheOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  // Prepended to every key, so that several caches (or tests) share one Redis.
  std::string key_prefix = "eventstore:cache:";
  std::chrono::milliseconds connect_timeout{50};
  // For each command's send and reply (the socket's timeouts).
  std::chrono::milliseconds command_timeout{50};
  // Connections kept open; a caller waits at most command_timeout for a free one.
  std::size_t pool_size = 4;
};

}  // namespace eventstore::cache
