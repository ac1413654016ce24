// The redis-server of tests/harness/redis.sh: where it listens (from
// EVENTSTORE_TEST_REDIS_PORT, else the build tree's redis.env) and how to
// kill and start it again.
#pragma once

#include <chrono>
#include <string>

#include "eventstore/cache/redis_cache_options.hpp"

namespace eventstore::cache::test {

// Options for a cache on the test server, keys under a prefix of their own.
[[nodiscard]] RedisCacheOptions test_redis_options(const std::string& prefix);
// The redis.sh subcommand (start, stop, kill) with the build tree of these tests; true on success.
bool redis_script(const std::string& command);
// A prefix unique to this process and call.
[[nodiscard]] std::string unique_prefix(const std::string& test);

}  // namespace eventstore::cache::test
