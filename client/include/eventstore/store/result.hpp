// The return type of everything that can fail: a value or an Error.
#pragma once

#include <expected>

#include "eventstore/store/error.hpp"

namespace eventstore {

template <class T>
using Result = std::expected<T, Error>;

}  // namespace eventstore
