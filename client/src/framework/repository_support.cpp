#include "eventstore/framework/detail/repository_support.hpp"

#include <random>
#include <string>
#include <thread>

#include "eventstore/store/deadline.hpp"

namespace eventstore::detail {

RepositoryStatistics RepositoryCounters::read() const noexcept {
  auto value = [](const std::atomic<std::uint64_t>& counter) { return counter.load(std::memory_order_relaxed); };
  return RepositoryStatistics{value(loads),
                              value(loads_from_snapshot),
                              value(events_replayed),
                              value(saves),
                              value(events_appended),
                              value(conflicts),
                              value(conflict_retries_exhausted),
                              value(snapshots_saved),
                              value(snapshot_save_failures),
                              value(unreadable_snapshots),
                              value(cache_hits),
                              value(cache_misses),
                              value(cache_evictions),
                              value(cache_invalidations)};
}

CommandResult<StreamName> aggregate_stream(std::string_view category, std::string_view id) {
  if (category.empty() || category.find('-') != std::string_view::npos)
    return std::unexpected(CommandError::store_error(
        Error{ErrorCode::invalid_argument, "the aggregate's stream category \"" + std::string{category} +
                                               "\" must be non-empty and without '-' (set A::category or "
                                               "RepositoryOptions::category)"}));
  if (id.empty())
    return std::unexpected(
        CommandError::store_error(Error{ErrorCode::invalid_stream_name, "the aggregate id is empty"}));
  std::string name{category};
  name += '-';
  name += id;
  auto stream = StreamName::from(name);
  if (!stream) return std::unexpected(CommandError::store_error(std::move(stream.error())));
  return std::move(*stream);
}

std::optional<CommandError> deadline_passed(std::string_view before_what) {
  auto deadline = DeadlineScope::current();
  if (!deadline || Deadline::clock::now() < *deadline) return std::nullopt;
  return CommandError::store_error(Error{ErrorCode::timeout, "the deadline passed before " + std::string{before_what}});
}

void pause_before_next_attempt(std::chrono::microseconds max_pause) {
  if (max_pause <= std::chrono::microseconds::zero()) return;
  thread_local std::minstd_rand engine{std::random_device{}()};
  std::uniform_int_distribution<std::int64_t> pause{0, max_pause.count()};
  std::this_thread::sleep_for(std::chrono::microseconds{pause(engine)});
}

bool is_conflict(const CommandError& error) noexcept {
  return error.kind() == CommandErrorKind::store_error && error.store_error() &&
         error.store_error()->code() == ErrorCode::wrong_expected_version;
}

CommandError append_failure(Error error) {
  // Only a lost reply leaves the append in doubt: every other error means
  // the server refused it, or the client never sent it.
  bool outcome_unknown = error.code() == ErrorCode::connection_lost;
  return CommandError::store_error(std::move(error), outcome_unknown);
}

}  // namespace eventstore::detail
