// The size and shape of level 1.
#pragma once

#include <cstddef>

namespace eventstore::cache {

struct MemoryCacheOptions {
  // The bound on key bytes + value bytes + entry_overhead_bytes over all
  // entries; each shard holds at most capacity_bytes / shard_count.
  std::size_t capacity_bytes = 64 * 1024 * 1024;
  // Each shard has its own lock and its own LRU order: more shards, less contention.
  std::size_t shard_count = 16;
  // What an entry costs beyond its key and value: the list node, the index
  // node, the position and the expiry. Counted so that many tiny entries
  // cannot exceed the bound by their bookkeeping.
  std::size_t entry_overhead_bytes = 96;
};

}  // namespace eventstore::cache
