// The cache: level 1 in the process, level 2 in Redis, position-aware and
// single-flight (docs/caching.md). Link eventstore::cache.
#pragma once

#include "eventstore/cache/cache_entry.hpp"
#include "eventstore/cache/cache_level.hpp"
#include "eventstore/cache/cache_statistics.hpp"
#include "eventstore/cache/cache_status.hpp"
#include "eventstore/cache/cached_value.hpp"
#include "eventstore/cache/memory_cache.hpp"
#include "eventstore/cache/memory_cache_options.hpp"
#include "eventstore/cache/memory_cache_statistics.hpp"
#include "eventstore/cache/redis_cache.hpp"
#include "eventstore/cache/redis_cache_options.hpp"
#include "eventstore/cache/tiered_cache.hpp"
#include "eventstore/cache/tiered_cache_options.hpp"
