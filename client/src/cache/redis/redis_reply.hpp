// A reply of Redis in our own types, so that only redis_connection.cpp knows
// hiredis's.
#pragma once

#include <string>
#include <vector>

namespace eventstore::cache {

struct RedisReply {
  enum class Type { nil, string, integer, status, error, array };

  Type type = Type::nil;
  std::string text;  // string, status and error replies
  long long integer = 0;
  std::vector<RedisReply> elements;
};

// One command as its arguments, e.g. {"GET", "key"}; binary-safe.
using RedisCommand = std::vector<std::string>;

}  // namespace eventstore::cache
