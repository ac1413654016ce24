#include "eventstore/cache/redis_cache.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "redis/redis_connection_pool.hpp"
#include "redis/redis_reply.hpp"
#include "redis_value_encoding.hpp"

namespace eventstore::cache {

namespace {

// Stores ARGV[1] for ARGV[2] ms unless the stored value's position (its first
// 40 characters) is newer.
constexpr const char* put_unless_newer = R"lua(
local stored = redis.call('GETRANGE', KEYS[1], 0, 39)
if stored ~= '' and stored > string.sub(ARGV[1], 1, 40) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
)lua";

// Deletes the key if its stored position is older than ARGV[1].
constexpr const char* erase_if_older = R"lua(
local stored = redis.call('GETRANGE', KEYS[1], 0, 39)
if stored ~= '' and stored < ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua";

// Keys per DEL: large invalidations go in several commands of one round trip.
constexpr std::size_t keys_per_delete = 512;

Error reply_error(const RedisReply& reply) { return Error(ErrorCode::internal, "redis: " + reply.text); }

Result<std::vector<RedisReply>> checked(Result<std::vector<RedisReply>> replies) {
  if (!replies) return replies;
  for (const auto& reply : *replies) {
    if (reply.type == RedisReply::Type::error) return std::unexpected(reply_error(reply));
  }
  return replies;
}

}  // namespace

RedisCache::RedisCache(RedisCacheOptions options)
    : options_(std::move(options)), pool_(std::make_unique<RedisConnectionPool>(options_)) {}

RedisCache::~RedisCache() = default;

std::string RedisCache::redis_key(std::string_view key) const {
  std::string out = options_.key_prefix;
  out.append(key);
  return out;
}

Result<std::optional<CacheEntry>> RedisCache::get(std::string_view key) {
  auto name = redis_key(key);
  const RedisCommand commands[] = {{"GET", name}, {"PTTL", name}};
  auto replies = checked(pool_->run(commands));
  if (!replies) return std::unexpected(replies.error());
  const auto& value = (*replies)[0];
  if (value.type != RedisReply::Type::string) return std::optional<CacheEntry>{};
  auto decoded = decode_value(value.text);
  // Not ours (another writer under our prefix): a miss, which a load replaces.
  if (!decoded) return std::optional<CacheEntry>{};
  const auto& time_left = (*replies)[1];
  // PTTL is -1 for a key without expiry: no limit of its own.
  const auto left = time_left.type == RedisReply::Type::integer && time_left.integer > 0
                        ? std::chrono::milliseconds{time_left.integer}
                        : std::chrono::milliseconds::zero();
  return std::optional<CacheEntry>{CacheEntry{std::move(*decoded), left}};
}

Result<void> RedisCache::put(std::string_view key, const CachedValue& value, std::chrono::milliseconds time_to_live) {
  if (time_to_live <= std::chrono::milliseconds::zero()) return {};
  const RedisCommand commands[] = {
      {"EVAL", put_unless_newer, "1", redis_key(key), encode_value(value), std::to_string(time_to_live.count())}};
  auto replies = checked(pool_->run(commands));
  if (!replies) return std::unexpected(replies.error());
  return {};
}

Result<void> RedisCache::erase(std::string_view key) {
  const RedisCommand commands[] = {{"DEL", redis_key(key)}};
  auto replies = checked(pool_->run(commands));
  if (!replies) return std::unexpected(replies.error());
  return {};
}

Result<void> RedisCache::erase_many(std::span<const std::string> keys) {
  if (keys.empty()) return {};
  std::vector<RedisCommand> commands;
  for (std::size_t first = 0; first < keys.size(); first += keys_per_delete) {
    RedisCommand command{"DEL"};
    const auto last = std::min(keys.size(), first + keys_per_delete);
    for (auto i = first; i < last; ++i) command.push_back(redis_key(keys[i]));
    commands.push_back(std::move(command));
  }
  auto replies = checked(pool_->run(commands));
  if (!replies) return std::unexpected(replies.error());
  return {};
}

Result<void> RedisCache::erase_older_than(std::string_view key, LogPosition position) {
  const RedisCommand commands[] = {{"EVAL", erase_if_older, "1", redis_key(key), encode_position(position)}};
  auto replies = checked(pool_->run(commands));
  if (!replies) return std::unexpected(replies.error());
  return {};
}

Result<void> RedisCache::ping() {
  const RedisCommand commands[] = {{"PING"}};
  auto replies = checked(pool_->run(commands));
  if (!replies) return std::unexpected(replies.error());
  return {};
}

}  // namespace eventstore::cache
