#include "statement_timeout.hpp"

#include <algorithm>
#include <limits>

namespace eventstore::detail::pq {

Result<std::optional<std::chrono::milliseconds>> statement_timeout_until(std::optional<Deadline> deadline,
                                                                         Deadline now) {
  if (!deadline) return std::nullopt;
  if (*deadline <= now) return std::unexpected(Error{ErrorCode::timeout, "the deadline has passed"});
  constexpr std::chrono::milliseconds longest{std::numeric_limits<int>::max()};
  auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - now);
  return std::min(left, longest);
}

}  // namespace eventstore::detail::pq
