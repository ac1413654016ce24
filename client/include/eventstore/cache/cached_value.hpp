// What the cache holds for a key: the value's bytes (the layer above
// serialises) and the position in the global log that the value reflects, so
// that a reader holding a newer position knows the value is too old for it.
#pragma once

#include <string>

#include "eventstore/store/log_position.hpp"

namespace eventstore::cache {

struct CachedValue {
  std::string bytes;
  LogPosition position{};

  friend bool operator==(const CachedValue&, const CachedValue&) = default;
};

}  // namespace eventstore::cache
