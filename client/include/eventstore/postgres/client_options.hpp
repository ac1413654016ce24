// How a Client manages its connections: the pool's size and timeouts, and
// whether concurrent appends share round trips through libpq's pipeline mode.
//
//   auto client = eventstore::Client::connect(dsn, {.pool = {.max_size = 16}, .pipelined_appends = true});
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

namespace eventstore {

struct PoolOptions {
  // Connections opened by connect() and kept open however long they idle.
  // connect() opens at least one, so that a bad DSN or an unreachable server
  // is reported there.
  std::size_t min_size = 1;
  // The most connections open at once, in use or idle. At least 1.
  std::size_t max_size = 10;
  // How long a call waits for a connection when all max_size are in use;
  // then it fails with pool_exhausted. Waiters are served first come, first
  // served.
  std::chrono::milliseconds checkout_timeout{5000};
  // A connection idle at least this long is checked before it is handed out,
  // without a round trip: one the server has closed meanwhile (restart,
  // pg_terminate_backend, idle_session_timeout) is replaced by a new one.
  // Zero checks on every checkout.
  std::chrono::milliseconds health_check_after_idle{1000};
  // Connections beyond min_size idle this long are closed.
  std::chrono::milliseconds idle_timeout{std::chrono::minutes{10}};
  // A connection this old is closed when it is next returned or found idle,
  // so that server-side memory and settings changes are picked up.
  std::chrono::milliseconds max_lifetime{std::chrono::minutes{30}};
};

struct ClientOptions {
  PoolOptions pool{};
  // Appends from concurrent callers are collected and sent together in
  // pipeline mode, each in its own implicit transaction, so that they share
  // round trips. Each caller still gets its own result. Worth it when many
  // threads append at once (see the measurements in docs/client-api.md).
  bool pipelined_appends = false;
  // Connections (taken from the pool for each batch) that send pipelined
  // batches at the same time; by default pool.max_size. Each append is its
  // own transaction, so one connection commits them one after the other:
  // fewer connections mean bigger batches but fewer commits at once. At
  // least 1, at most pool.max_size (checked only when appends are pipelined).
  std::optional<std::size_t> pipeline_connections{};
  // The most appends sent in one batch. At least 1.
  std::size_t pipeline_batch_size = 64;
};

}  // namespace eventstore
