// A caller's deadline as the server's statement_timeout: the time left,
// rounded up to whole milliseconds, set with set_config(..., is_local => true)
// in the same implicit transaction as the statement it limits. The setting
// ends with that transaction, so a pooled connection carries none of it to
// its next user, and it costs no round trip of its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "eventstore/store/deadline.hpp"
#include "eventstore/store/result.hpp"
#include "statement.hpp"
#include "type_oids.hpp"

namespace eventstore::detail::pq {

// Nothing without a deadline; timeout when it has passed at `now`; else the
// time left, at least 1 ms (0 would mean no limit to the server) and at most
// what statement_timeout can hold.
[[nodiscard]] Result<std::optional<std::chrono::milliseconds>> statement_timeout_until(std::optional<Deadline> deadline,
                                                                                       Deadline now);

inline constexpr std::uint32_t set_statement_timeout_parameters[] = {type_oid::text};

// The transport's own statement, prepared like the caller's, in the slot kept for it.
inline constexpr Statement set_local_statement_timeout{
    transport_statement_slot, "eventstore_client_set_statement_timeout",
    "SELECT pg_catalog.set_config('statement_timeout', $1, true)", set_statement_timeout_parameters, 1};

}  // namespace eventstore::detail::pq
