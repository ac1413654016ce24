// A snapshot of what a Client's connections are doing, for metrics and for
// tests: every figure is read at one moment under the pool's lock, the
// pipeline counters are totals since connect().
#pragma once

#include <cstddef>
#include <cstdint>

namespace eventstore {

struct ConnectionStatistics {
  std::size_t open_connections = 0;  // in use or idle
  std::size_t idle_connections = 0;
  std::size_t waiting_callers = 0;  // calls waiting for a connection
  std::size_t queued_appends = 0;   // pipelined appends not yet sent
  std::uint64_t pipelined_batches = 0;
  std::uint64_t pipelined_appends = 0;
  std::size_t largest_pipelined_batch = 0;
};

}  // namespace eventstore
