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
  // Sent unnamed and planned with each call's values, never as a generic
  // plan: for the extension's SQL functions, which PostgreSQL inlines and
  // plans with its indexes only when it knows the values (a LIMIT above all).
  bool planned_per_call = false;
};

namespace statement_parameters {
inline constexpr std::uint32_t append[] = {type_oid::text,        type_oid::int8,        type_oid::text_array,
                                           type_oid::jsonb_array, type_oid::jsonb_array, type_oid::uuid_array};
inline constexpr std::uint32_t read_stream[] = {type_oid::text, type_oid::int8, type_oid::int4, type_oid::text};
inline constexpr std::uint32_t stream_version[] = {type_oid::text};
inline constexpr std::uint32_t read_all[] = {type_oid::xid8, type_oid::int8, type_oid::int4, type_oid::text_array};
inline constexpr std::uint32_t read_category[] = {type_oid::text, type_oid::xid8, type_oid::int8, type_oid::int4,
                                                  type_oid::text_array};
inline constexpr std::uint32_t read_category_group[] = {type_oid::text, type_oid::xid8,       type_oid::int8,
                                                        type_oid::int4, type_oid::text_array, type_oid::int4,
                                                        type_oid::int4};
inline constexpr std::uint32_t save_snapshot[] = {type_oid::text, type_oid::int8, type_oid::jsonb, type_oid::int4,
                                                  type_oid::int4};
inline constexpr std::uint32_t load[] = {type_oid::text, type_oid::int4, type_oid::int4};
inline constexpr std::uint32_t stream_and_version[] = {type_oid::text, type_oid::int8};
inline constexpr std::uint32_t set_stream_limits[] = {type_oid::text, type_oid::int8, type_oid::interval};
inline constexpr std::uint32_t stream_name[] = {type_oid::text};
inline constexpr std::uint32_t reclaim[] = {type_oid::int4};
inline constexpr std::uint32_t read_event_type[] = {type_oid::text, type_oid::xid8, type_oid::int8, type_oid::int4};
inline constexpr std::uint32_t read_time_range[] = {type_oid::timestamptz, type_oid::timestamptz, type_oid::timestamptz,
                                                    type_oid::int8, type_oid::int4};
inline constexpr std::uint32_t read_correlated[] = {type_oid::text, type_oid::xid8, type_oid::int8, type_oid::int4};
inline constexpr std::uint32_t none[] = {0};
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

inline constexpr Statement read_category_group{
    5, "eventstore_client_read_category_group",
    "SELECT " EVENTSTORE_RECORDED_EVENT_COLUMNS " FROM eventstore.read_category($1, $2, $3, $4, $5, $6, $7)",
    statement_parameters::read_category_group, 7};

inline constexpr Statement save_snapshot{6, "eventstore_client_save_snapshot",
                                         "SELECT FROM eventstore.save_snapshot($1, $2, $3, $4, $5)",
                                         statement_parameters::save_snapshot, 5};

// The columns of eventstore.loaded_row, in the order loaded_stream_rows reads them.
inline constexpr Statement load{7, "eventstore_client_load",
                                "SELECT is_snapshot, version, position, transaction_id, event_id, event_type, data, "
                                "metadata, created_at FROM eventstore.load($1, $2, $3)",
                                statement_parameters::load, 3};

inline constexpr Statement delete_stream{8, "eventstore_client_delete_stream",
                                         "SELECT eventstore.delete_stream($1, $2)",
                                         statement_parameters::stream_and_version, 2};

inline constexpr Statement tombstone_stream{9, "eventstore_client_tombstone_stream",
                                            "SELECT eventstore.tombstone_stream($1, $2)",
                                            statement_parameters::stream_and_version, 2};

inline constexpr Statement truncate_stream{10, "eventstore_client_truncate_stream",
                                           "SELECT FROM eventstore.truncate_stream($1, $2)",
                                           statement_parameters::stream_and_version, 2};

inline constexpr Statement set_stream_limits{11, "eventstore_client_set_stream_limits",
                                             "SELECT FROM eventstore.set_stream_limits($1, $2, $3)",
                                             statement_parameters::set_stream_limits, 3};

inline constexpr Statement stream_state{
    12, "eventstore_client_stream_state",
    "SELECT version, deleted, tombstoned, truncate_before, max_count, max_age, created_at "
    "FROM eventstore.stream_state($1)",
    statement_parameters::stream_name, 1};

inline constexpr Statement reclaim{13, "eventstore_client_reclaim", "SELECT eventstore.reclaim($1)",
                                   statement_parameters::reclaim, 1};

// A generic plan of the inlined function walks the whole log for a rare type;
// planned with the call's values it reads events_type_order.
inline constexpr Statement read_event_type{
    14, "eventstore_client_read_event_type",
    "SELECT " EVENTSTORE_RECORDED_EVENT_COLUMNS " FROM eventstore.read_event_type($1, $2, $3, $4)",
    statement_parameters::read_event_type, 4, true};

// The cursor of a time range is the created_at and position of the last
// event of the previous page; that of a correlated read, its log position.
inline constexpr Statement read_time_range{
    15, "eventstore_client_read_time_range",
    "SELECT " EVENTSTORE_RECORDED_EVENT_COLUMNS " FROM eventstore.read_time_range($1, $2, $3, $4, $5)",
    statement_parameters::read_time_range, 5, true};

inline constexpr Statement read_correlated{
    16, "eventstore_client_read_correlated",
    "SELECT " EVENTSTORE_RECORDED_EVENT_COLUMNS " FROM eventstore.read_correlated($1, $2, $3, $4)",
    statement_parameters::read_correlated, 4, true};

inline constexpr Statement stats{17, "eventstore_client_stats",
                                 "SELECT streams, events, snapshots, bytes, appends_since_start, "
                                 "events_appended_since_start, conflicts_since_start, log_fence, "
                                 "oldest_transaction_pid, oldest_transaction_age FROM eventstore.stats()",
                                 statement_parameters::none, 0};

inline constexpr Statement category_stats{
    18, "eventstore_client_category_stats",
    "SELECT category, streams, events, last_appended_at FROM eventstore.category_stats ORDER BY category",
    statement_parameters::none, 0};

inline constexpr Statement event_type_stats{
    19, "eventstore_client_event_type_stats",
    "SELECT event_type, events, payload_bytes, last_appended_at FROM eventstore.event_type_stats ORDER BY event_type",
    statement_parameters::none, 0};

inline constexpr std::size_t count = 20;

}  // namespace statements

#undef EVENTSTORE_RECORDED_EVENT_COLUMNS

}  // namespace eventstore::detail
