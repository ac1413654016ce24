#include "client_connections.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "client_options_check.hpp"
#include "eventstore/store/deadline.hpp"

namespace eventstore::detail {
namespace {

// Often enough that idle and lifetime limits hold to within about half of
// themselves, rarely enough to cost nothing.
std::chrono::milliseconds upkeep_interval(const PoolOptions& options) {
  auto shortest = std::min(options.idle_timeout, options.max_lifetime);
  return std::clamp(shortest / 2, std::chrono::milliseconds{50}, std::chrono::milliseconds{30'000});
}

}  // namespace

Result<std::unique_ptr<ClientConnections>> ClientConnections::open(std::string_view dsn, const ClientOptions& options) {
  if (auto checked = check_client_options(options); !checked) return std::unexpected(checked.error());
  PoolConnector<pq::Connection> connector;
  connector.open = [dsn = std::string{dsn}] { return pq::Connection::open(dsn); };
  connector.healthy_after_idle = [](pq::Connection& connection) { return connection.healthy_after_idle(); };
  connector.reusable = [](const pq::Connection& connection) { return connection.reusable(); };
  auto pool = ConnectionPool<pq::Connection>::create(options.pool, std::move(connector));
  if (!pool) return std::unexpected(std::move(pool.error()));

  std::unique_ptr<ClientConnections> connections{new ClientConnections(std::move(*pool))};
  if (options.pipelined_appends)
    connections->appender_ = std::make_unique<PipelinedAppender>(
        connections->pool_, options.pipeline_connections.value_or(options.pool.max_size), options.pipeline_batch_size);
  connections->upkeep_thread_ =
      std::jthread{[raw = connections.get()](std::stop_token stop) { raw->keep_tidy(std::move(stop)); }};
  return connections;
}

ClientConnections::ClientConnections(std::shared_ptr<ConnectionPool<pq::Connection>> pool) noexcept
    : pool_(std::move(pool)) {}

ClientConnections::~ClientConnections() {
  upkeep_thread_.request_stop();
  if (upkeep_thread_.joinable()) upkeep_thread_.join();
}

void ClientConnections::keep_tidy(std::stop_token stop) {
  const auto interval = upkeep_interval(pool_->options());
  std::unique_lock lock{upkeep_mutex_};
  while (!upkeep_.wait_for(lock, stop, interval, [] { return false; }) && !stop.stop_requested()) {
    lock.unlock();
    pool_->close_expired();
    // A server that is down now is reported to the next caller instead.
    (void)pool_->open_to_minimum();
    lock.lock();
  }
}

Result<ConnectionLease> ClientConnections::acquire() { return pool_->acquire(DeadlineScope::current()); }

ConnectionStatistics ClientConnections::statistics() const {
  PoolCounts pool = pool_->counts();
  ConnectionStatistics statistics{
      .open_connections = pool.open, .idle_connections = pool.idle, .waiting_callers = pool.waiting};
  if (appender_) {
    PipelineCounts pipeline = appender_->counts();
    statistics.queued_appends = pipeline.queued;
    statistics.pipelined_batches = pipeline.batches;
    statistics.pipelined_appends = pipeline.appends;
    statistics.largest_pipelined_batch = pipeline.largest_batch;
  }
  return statistics;
}

}  // namespace eventstore::detail
