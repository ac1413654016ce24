// The SQL the client runs, each prepared once per connection. Every name is
// schema-qualified (the caller's search_path changes nothing) and every
// parameter type is given, so each statement is planned once.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "type_oids.hpp"

namespace eventstore::detail {

struct Statement {
  std::size_t index;  // into the connection's table of prepared statements
  const char* name;
  const char* sql;
  const std::uint32_t* parameter_types;
  int parameter_count;
};

namespace statement_parameters {
inline constexpr std::uint32_t append[] = {type_oid::text,        type_oid::int8,        type_oid::text_array,
                                           type_oid::jsonb_array, type_oid::jsonb_array, type_oid::uuid_array};
inline constexpr std::uint32_t read_stream[] = {type_oid::text, type_oid::int8, type_oid::int4, type_oid::text};
inline constexpr std::uint32_t stream_version[] = {type_oid::text};
inline constexpr std::uint32_t read_all[] = {type_oid::xid8, type_oid::int8, type_oid::int4, type_oid::text_array};
inline constexpr std::uint32_t read_category[] = {type_oid::text, type_oid::xid8, type_oid::int8, type_oid::int4,
                                                  type_oid::text_array};
}  // namespace statement_parameters

// The columns of eventstore.recorded_event, in the order the row decoder reads them.
#define EVENTSTORE_RECORDED_EVENT_COLUMNS \
  "stream_name, version, position, transaction_id, event_id, event_type, data, metadata, created_at"

namespace statements {

// Four parallel arrays, one element per event, zipped back in order; empty
// metadata is a NULL element.
inline constexpr Statement append{
    0, "eventstore_client_append",
    "SELECT next_expected_version, first_position, last_position FROM eventstore.append($1, $2, ARRAY("
    "SELECT eventstore.event(u.event_type, u.data, u.metadata, u.event_id) "
    "FROM unnest($3::text[], $4::jsonb[], $5::jsonb[], $6::uuid[]) "
    "WITH ORDINALITY AS u(event_type, data, metadata, event_id, ordinal) ORDER BY u.ordinal))",
    statement_parameters::append, 6};

inline constexpr Statement read_stream{
    1, "eventstore_client_read_stream",
    "SELECT " EVENTSTORE_RECORDED_EVENT_COLUMNS " FROM eventstore.read_stream($1, $2, $3, $4)",
    statement_parameters::read_stream, 4};

inline constexpr Statement stream_version{2, "eventstore_client_stream_version",
                                          "SELECT eventstore.stream_version($1)",
                                          statement_parameters::stream_version, 1};

inline constexpr Statement read_all{
    3, "eventstore_client_read_all",
    "SELECT " EVENTSTORE_RECORDED_EVENT_COLUMNS " FROM eventstore.read_all($1, $2, $3, $4)",
    statement_parameters::read_all, 4};

inline constexpr Statement read_category{
    4, "eventstore_client_read_category",
    "SELECT " EVENTSTORE_RECORDED_EVENT_COLUMNS " FROM eventstore.read_category($1, $2, $3, $4, $5)",
    statement_parameters::read_category, 5};

inline constexpr std::size_t count = 5;

}  // namespace statements

#undef EVENTSTORE_RECORDED_EVENT_COLUMNS

}  // namespace eventstore::detail
