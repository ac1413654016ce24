// A statement as the connection runs it: prepared once per connection under
// its name (or planned per call), binary parameters of the given types,
// binary results.
#pragma once

#include <cstddef>
#include <cstdint>

namespace eventstore::detail::pq {

// A connection's table of prepared statements: the caller's statements take
// slots 0 to caller_statement_slots - 1, the transport's own the last one
// (statement_timeout.hpp).
inline constexpr std::size_t caller_statement_slots = 47;
inline constexpr std::size_t transport_statement_slot = caller_statement_slots;
inline constexpr std::size_t prepared_statement_slots = caller_statement_slots + 1;

struct Statement {
  std::size_t slot;  // in the connection's table of prepared statements
  const char* name;
  const char* sql;
  const std::uint32_t* parameter_types;
  int parameter_count;
  // Sent unnamed and planned with each call's values, never as a generic
  // plan: for the extension's SQL functions, which PostgreSQL inlines and
  // plans with its indexes only when it knows the values (a LIMIT above all).
  bool planned_per_call = false;
};

}  // namespace eventstore::detail::pq
