// The parts of Repository<A> that do not depend on the aggregate type.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "eventstore/framework/command_error.hpp"
#include "eventstore/framework/repository_options.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/stream_name.hpp"

namespace eventstore::detail {

class RepositoryCounters {
 public:
  std::atomic<std::uint64_t> loads{0};
  std::atomic<std::uint64_t> loads_from_snapshot{0};
  std::atomic<std::uint64_t> events_replayed{0};
  std::atomic<std::uint64_t> saves{0};
  std::atomic<std::uint64_t> events_appended{0};
  std::atomic<std::uint64_t> conflicts{0};
  std::atomic<std::uint64_t> conflict_retries_exhausted{0};
  std::atomic<std::uint64_t> snapshots_saved{0};
  std::atomic<std::uint64_t> snapshot_save_failures{0};
  std::atomic<std::uint64_t> unreadable_snapshots{0};
  std::atomic<std::uint64_t> cache_hits{0};
  std::atomic<std::uint64_t> cache_misses{0};
  std::atomic<std::uint64_t> cache_evictions{0};
  std::atomic<std::uint64_t> cache_invalidations{0};

  [[nodiscard]] RepositoryStatistics read() const noexcept;
};

inline void count(std::atomic<std::uint64_t>& counter, std::uint64_t amount = 1) noexcept {
  counter.fetch_add(amount, std::memory_order_relaxed);
}

// "<category>-<id>", checked with the stream-name rules.
[[nodiscard]] CommandResult<StreamName> aggregate_stream(std::string_view category, std::string_view id);

// A timeout error when the thread's DeadlineScope has passed; nothing otherwise.
[[nodiscard]] std::optional<CommandError> deadline_passed(std::string_view before_what);

// Sleeps a random time of up to `max_pause` (nothing when it is zero).
void pause_before_next_attempt(std::chrono::microseconds max_pause);

// Whether an append failed because another writer was first.
[[nodiscard]] bool is_conflict(const CommandError& error) noexcept;

// A store error of an append: its outcome is unknown when the reply was lost.
[[nodiscard]] CommandError append_failure(Error error);

}  // namespace eventstore::detail
