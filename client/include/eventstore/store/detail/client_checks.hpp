// What the client checks itself before it sends a call, with the server's
// rules and words, so that such mistakes cost no round trip (and reach
// SQL functions that do not check them, such as the indexed reads). The
// in-memory store applies the same checks, in the same order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/store/expected_version.hpp"
#include "eventstore/store/result.hpp"

namespace eventstore::detail {

// invalid_expected_version unless n >= 0, -1, -2 or -4.
[[nodiscard]] Result<void> check_expected_version(ExpectedVersion expected);

// invalid_argument unless max_count >= 1.
[[nodiscard]] Result<void> check_max_count(std::int32_t max_count);

// invalid_event_type for a type (or type filter number `index`, from 1) that breaks the rules.
[[nodiscard]] Result<void> check_event_type_filter(const std::vector<std::string>& event_types);
[[nodiscard]] Result<void> check_event_type(std::string_view event_type);

// invalid_argument for a category the server could not even decode (it
// rejects an empty one and one with '-' itself).
[[nodiscard]] Result<void> check_category_bytes(std::string_view category);

// invalid_argument unless at most 255 bytes of UTF-8 without control characters.
[[nodiscard]] Result<void> check_correlation_id(std::string_view correlation_id);

}  // namespace eventstore::detail
