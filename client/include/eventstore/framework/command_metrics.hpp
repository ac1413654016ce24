// Counters and latency histograms of the commands a bus sent, kept in the
// process per command type (fed by metrics_middleware). Read them at any
// time, from any thread:
//
//   eventstore::CommandMetrics metrics;
//   bus.use(eventstore::metrics_middleware(metrics));
//   ...
//   auto total = metrics.total();
//   std::cout << total.sent << " commands, p99 " << total.latency.percentile(0.99).count() << " µs\n";
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/framework/command_error.hpp"
#include "eventstore/framework/command_outcome.hpp"
#include "eventstore/framework/latency_histogram.hpp"

namespace eventstore {

// What happened to the commands of one type (or of all types).
struct CommandStatistics {
  std::string command_type;
  std::uint64_t sent = 0;
  std::uint64_t succeeded = 0;
  // Refused by a business rule.
  std::uint64_t rejected = 0;
  // Refused by their own validation.
  std::uint64_t invalid = 0;
  // Any other error (store errors, no handler, unreadable events).
  std::uint64_t failed = 0;
  // Answered by the idempotency middleware from an earlier outcome.
  std::uint64_t repeated = 0;
  // Concurrency conflicts that succeeded commands went through.
  std::uint64_t conflicts_retried = 0;
  std::uint64_t events_appended = 0;
  // From the metrics middleware inwards, every attempt included.
  LatencyHistogram latency{};
};

class CommandMetrics {
 public:
  CommandMetrics();
  CommandMetrics(const CommandMetrics&) = delete;
  CommandMetrics& operator=(const CommandMetrics&) = delete;
  ~CommandMetrics();

  void record(std::string_view command_type, const CommandResult<CommandOutcome>& result,
              std::chrono::microseconds duration);

  // One entry per command type, by name.
  [[nodiscard]] std::vector<CommandStatistics> by_command_type() const;
  // Every command type together (command_type "all").
  [[nodiscard]] CommandStatistics total() const;

 private:
  struct Counters;
  [[nodiscard]] Counters& counters_of(std::string_view command_type);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Counters>, std::less<>> by_type_;
};

}  // namespace eventstore
