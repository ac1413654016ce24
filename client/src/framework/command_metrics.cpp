#include "eventstore/framework/command_metrics.hpp"

#include <atomic>

namespace eventstore {

struct CommandMetrics::Counters {
  std::atomic<std::uint64_t> sent{0};
  std::atomic<std::uint64_t> succeeded{0};
  std::atomic<std::uint64_t> rejected{0};
  std::atomic<std::uint64_t> invalid{0};
  std::atomic<std::uint64_t> failed{0};
  std::atomic<std::uint64_t> repeated{0};
  std::atomic<std::uint64_t> conflicts_retried{0};
  std::atomic<std::uint64_t> events_appended{0};
  LatencyHistogram latency;

  void add_to(CommandStatistics& statistics) const {
    auto value = [](const std::atomic<std::uint64_t>& counter) { return counter.load(std::memory_order_relaxed); };
    statistics.sent += value(sent);
    statistics.succeeded += value(succeeded);
    statistics.rejected += value(rejected);
    statistics.invalid += value(invalid);
    statistics.failed += value(failed);
    statistics.repeated += value(repeated);
    statistics.conflicts_retried += value(conflicts_retried);
    statistics.events_appended += value(events_appended);
    statistics.latency.merge(latency);
  }
};

CommandMetrics::CommandMetrics() = default;
CommandMetrics::~CommandMetrics() = default;

CommandMetrics::Counters& CommandMetrics::counters_of(std::string_view command_type) {
  std::lock_guard lock{mutex_};
  auto found = by_type_.find(command_type);
  if (found == by_type_.end()) found = by_type_.emplace(std::string{command_type}, std::make_unique<Counters>()).first;
  return *found->second;
}

void CommandMetrics::record(std::string_view command_type, const CommandResult<CommandOutcome>& result,
                            std::chrono::microseconds duration) {
  Counters& counters = counters_of(command_type);
  auto add = [](std::atomic<std::uint64_t>& counter, std::uint64_t amount = 1) {
    counter.fetch_add(amount, std::memory_order_relaxed);
  };
  add(counters.sent);
  if (result) {
    add(counters.succeeded);
    if (result->repeated) add(counters.repeated);
    add(counters.conflicts_retried, static_cast<std::uint64_t>(result->conflicts));
    if (!result->repeated) add(counters.events_appended, result->event_types.size());
  } else if (result.error().kind() == CommandErrorKind::rejected) {
    add(counters.rejected);
  } else if (result.error().kind() == CommandErrorKind::invalid_command) {
    add(counters.invalid);
  } else {
    add(counters.failed);
  }
  counters.latency.record(duration);
}

std::vector<CommandStatistics> CommandMetrics::by_command_type() const {
  std::lock_guard lock{mutex_};
  std::vector<CommandStatistics> all;
  all.reserve(by_type_.size());
  for (const auto& [name, counters] : by_type_) {
    all.push_back(CommandStatistics{name});
    counters->add_to(all.back());
  }
  return all;
}

CommandStatistics CommandMetrics::total() const {
  std::lock_guard lock{mutex_};
  CommandStatistics total{"all"};
  for (const auto& entry : by_type_) entry.second->add_to(total);
  return total;
}

}  // namespace eventstore
