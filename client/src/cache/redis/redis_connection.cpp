#include "redis/redis_connection.hpp"

#include <hiredis/hiredis.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include <cerrno>
#include <ctime>
#include <string>
#include <utility>

namespace eventstore::cache {

namespace {

timeval to_timeval(std::chrono::milliseconds duration) {
  timeval out{};
  out.tv_sec = static_cast<time_t>(duration.count() / 1000);
  out.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
  return out;
}

// hiredis writes with write(2): to a closed socket that raises SIGPIPE, which
// would end the application. Block it in this thread while we talk to Redis,
// and swallow one raised meanwhile (what libpq does for its sends).
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe, &previous_);
  }
  ~SigpipeBlock() {
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      sigset_t pipe;
      sigemptyset(&pipe);
      sigaddset(&pipe, SIGPIPE);
      timespec no_wait{0, 0};
      while (sigtimedwait(&pipe, nullptr, &no_wait) < 0 && errno == EINTR) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t previous_{};
  bool was_pending_ = false;
};

Error context_error(const redisContext* context, const char* what) {
  const std::string message = std::string("redis: ") + what + ": " + context->errstr;
  // A socket timeout shows as an I/O error with EAGAIN's text.
  const bool timed_out =
      context->err == REDIS_ERR_IO &&
      (message.find("temporarily unavailable") != std::string::npos || message.find("timed out") != std::string::npos);
  return Error(timed_out ? ErrorCode::timeout : ErrorCode::connection_lost, message);
}

RedisReply convert(const redisReply& reply) {
  RedisReply out;
  switch (reply.type) {
    case REDIS_REPLY_STRING: out.type = RedisReply::Type::string; break;
    case REDIS_REPLY_STATUS: out.type = RedisReply::Type::status; break;
    case REDIS_REPLY_ERROR: out.type = RedisReply::Type::error; break;
    case REDIS_REPLY_INTEGER: out.type = RedisReply::Type::integer; break;
    case REDIS_REPLY_ARRAY: out.type = RedisReply::Type::array; break;
    default: out.type = RedisReply::Type::nil; break;
  }
  if (reply.str != nullptr) out.text.assign(reply.str, reply.len);
  out.integer = reply.integer;
  for (std::size_t i = 0; i < reply.elements; ++i) out.elements.push_back(convert(*reply.element[i]));
  return out;
}

}  // namespace

Result<std::unique_ptr<RedisConnection>> RedisConnection::open(const std::string& host, int port,
                                                               std::chrono::milliseconds connect_timeout,
                                                               std::chrono::milliseconds command_timeout) {
  redisContext* context = redisConnectWithTimeout(host.c_str(), port, to_timeval(connect_timeout));
  if (context == nullptr) return std::unexpected(Error(ErrorCode::out_of_memory, "redis: no memory for a connection"));
  std::unique_ptr<RedisConnection> connection(new RedisConnection(context));
  if (context->err != 0) return std::unexpected(context_error(context, "connect"));
  if (redisSetTimeout(context, to_timeval(command_timeout)) != REDIS_OK) {
    return std::unexpected(context_error(context, "set timeout"));
  }
  return connection;
}

RedisConnection::~RedisConnection() { redisFree(context_); }

Result<std::vector<RedisReply>> RedisConnection::run(std::span<const RedisCommand> commands) {
  SigpipeBlock block_sigpipe;
  std::vector<const char*> arguments;
  std::vector<std::size_t> lengths;
  for (const auto& command : commands) {
    arguments.clear();
    lengths.clear();
    for (const auto& argument : command) {
      arguments.push_back(argument.data());
      lengths.push_back(argument.size());
    }
    if (redisAppendCommandArgv(context_, static_cast<int>(arguments.size()), arguments.data(), lengths.data()) !=
        REDIS_OK) {
      return std::unexpected(context_error(context_, "send"));
    }
  }
  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
      if (raw != nullptr) freeReplyObject(raw);
      return std::unexpected(context_error(context_, "reply"));
    }
    std::unique_ptr<redisReply, void (*)(void*)> reply(static_cast<redisReply*>(raw), freeReplyObject);
    replies.push_back(convert(*reply));
  }
  return replies;
}

}  // namespace eventstore::cache
