// What the resilience components wrap: anything callable without arguments
// that returns a Result<T>, such as a lambda around one store call.
#pragma once

#include <concepts>
#include <functional>
#include <type_traits>

#include "eventstore/store/result.hpp"

namespace eventstore {

template <class Value>
inline constexpr bool is_result_v = false;
template <class Value>
inline constexpr bool is_result_v<Result<Value>> = true;

template <class Function>
concept ResultCallable = std::invocable<Function&> && is_result_v<std::remove_cvref_t<std::invoke_result_t<Function&>>>;

// The Result type a ResultCallable returns.
template <ResultCallable Function>
using CallResult = std::remove_cvref_t<std::invoke_result_t<Function&>>;

}  // namespace eventstore
