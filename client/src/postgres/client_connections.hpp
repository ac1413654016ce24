// Everything a Client owns: the connection pool, a thread that keeps it
// tidy (closes expired idle connections, opens up to min_size again), and
// the pipelined appender when the options ask for one.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string_view>
#include <thread>

#include "connection_pool.hpp"
#include "eventstore/postgres/client_options.hpp"
#include "eventstore/postgres/connection_statistics.hpp"
#include "eventstore/store/result.hpp"
#include "pipelined_appender.hpp"
#include "pq/connection.hpp"

namespace eventstore::detail {

using ConnectionLease = ConnectionPool<pq::Connection>::Lease;

class ClientConnections {
 public:
  [[nodiscard]] static Result<std::unique_ptr<ClientConnections>> open(std::string_view dsn,
                                                                       const ClientOptions& options);
  ClientConnections(const ClientConnections&) = delete;
  ClientConnections& operator=(const ClientConnections&) = delete;
  ~ClientConnections();

  // A connection for one call, within the calling thread's deadline.
  [[nodiscard]] Result<ConnectionLease> acquire();

  // Null unless appends are pipelined.
  [[nodiscard]] PipelinedAppender* appender() noexcept { return appender_.get(); }

  [[nodiscard]] ConnectionStatistics statistics() const;

 private:
  explicit ClientConnections(std::shared_ptr<ConnectionPool<pq::Connection>> pool) noexcept;
  void keep_tidy(std::stop_token stop);

  std::shared_ptr<ConnectionPool<pq::Connection>> pool_;
  std::unique_ptr<PipelinedAppender> appender_;
  std::mutex upkeep_mutex_;
  std::condition_variable_any upkeep_;
  std::jthread upkeep_thread_;  // last: stopped first
};

}  // namespace eventstore::detail
