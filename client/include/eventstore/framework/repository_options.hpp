// How a Repository loads, saves and retries: the snapshot policy of its
// aggregate type, the bound on concurrency conflicts, the page size of a
// replay, and the stream category.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "eventstore/framework/snapshot_policy.hpp"

namespace eventstore {

// What update() does when another writer appended to the aggregate between
// its load and its append (wrong_expected_version): load again, decide again
// on the new state, append again, up to max_attempts in all.
struct ConflictRetryPolicy {
  // Attempts in all, the first included: 1 never retries.
  int max_attempts = 10;
  // A random pause of up to this before each new attempt, so that writers of
  // a hot aggregate spread out instead of colliding again at once. Zero: none.
  std::chrono::microseconds max_pause{0};
};

// Aggregates kept in memory between commands (the repository's cache). A
// load that finds its aggregate there needs no round trip; the save still
// appends with the cached version as expected version, so an entry another
// writer made stale costs one conflict retry, never a lost update. Worth it
// when one process does most of the writing to its aggregates.
struct AggregateCachePolicy {
  // The most aggregates held; 0 (the default): no cache.
  std::size_t capacity = 0;

  [[nodiscard]] bool enabled() const noexcept { return capacity > 0; }
};

struct RepositoryOptions {
  SnapshotPolicy snapshots = no_snapshots();
  ConflictRetryPolicy conflicts{};
  // Events per read while replaying, and the most held in memory at once.
  std::int32_t page_size = 500;
  // The streams' category ("order" for "order-42"); by default the aggregate's `category`.
  std::string category{};
  // Off unless given a capacity: `.cache = {.capacity = 10'000}`.
  AggregateCachePolicy cache{};
};

// What a Repository has done since it was made; counters only grow.
struct RepositoryStatistics {
  std::uint64_t loads = 0;
  // Loads that started from a snapshot.
  std::uint64_t loads_from_snapshot = 0;
  // Events applied while loading (after the snapshot, when there was one).
  std::uint64_t events_replayed = 0;
  std::uint64_t saves = 0;
  std::uint64_t events_appended = 0;
  // Wrong-expected-version conflicts met by saves, whether retried or not.
  std::uint64_t conflicts = 0;
  // Updates that gave up after ConflictRetryPolicy::max_attempts.
  std::uint64_t conflict_retries_exhausted = 0;
  std::uint64_t snapshots_saved = 0;
  // Snapshots that could not be saved (the events were saved all the same).
  std::uint64_t snapshot_save_failures = 0;
  // Snapshots that could not be read back into the state; the events were replayed instead.
  std::uint64_t unreadable_snapshots = 0;
  // Loads served from the cache (no round trip), and loads that went to the
  // store while the cache was on. Both stay 0 without a cache.
  std::uint64_t cache_hits = 0;
  std::uint64_t cache_misses = 0;
  // Entries dropped to stay within the capacity.
  std::uint64_t cache_evictions = 0;
  // Entries dropped because a save or load on them failed (another writer
  // was first, the stream was deleted, the outcome of an append is unknown).
  std::uint64_t cache_invalidations = 0;
};

}  // namespace eventstore
