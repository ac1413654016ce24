// The SQL the client runs, each prepared once per connection. Every name is
// schema-qualified (the caller's search_path changes nothing) and every
// parameter type is given, so each statement is planned once.
//
// The table is indexed by StatementId and checked as it compiles: each entry
// sits at its id's index, names are unique, and each parameter count is the
// size of the entry's types array and the highest $n of its SQL. A new
// statement: an id before `count`, and its entry at the same place in the
// table.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

#include "pq/statement.hpp"
#include "pq/statement_timeout.hpp"
#include "pq/type_oids.hpp"

namespace eventstore::detail {

enum class StatementId : std::size_t {
  append,
  read_stream,
  stream_version,
  read_all,
  read_category,
  read_category_group,
  save_snapshot,
  load,
  delete_stream,
  tombstone_stream,
  truncate_stream,
  set_stream_limits,
  stream_state,
  reclaim,
  read_event_type,
  read_time_range,
  read_correlated,
  stats,
  category_stats,
  event_type_stats,
  join_subscription,
  acknowledge,
  leave_subscription,
  park_event,
  parked_events_to_replay,
  resolve_parked_event,
  replay_parked_events,
  skip_parked_event,
  parked_events,
  reset_subscription,
  subscription_lag,
  wait_for_log,
  count  // not a statement: how many there are
};

inline constexpr std::size_t statement_count = std::to_underlying(StatementId::count);
static_assert(statement_count <= pq::caller_statement_slots,
              "a connection has no slot for so many prepared statements (pq/statement.hpp)");

namespace statement_parameters {
namespace type_oid = pq::type_oid;
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
inline constexpr std::uint32_t join_subscription[] = {type_oid::text, type_oid::text, type_oid::int4,
                                                      type_oid::int8, type_oid::text, type_oid::text_array};
inline constexpr std::uint32_t acknowledge[] = {type_oid::text, type_oid::text, type_oid::int4,
                                                type_oid::int8, type_oid::xid8, type_oid::int8};
inline constexpr std::uint32_t subscription_and_member[] = {type_oid::text, type_oid::text};
inline constexpr std::uint32_t park_event[] = {type_oid::text, type_oid::text, type_oid::int4, type_oid::int8,
                                               type_oid::text, type_oid::text, type_oid::int8, type_oid::xid8,
                                               type_oid::int8, type_oid::text, type_oid::text, type_oid::int4};
inline constexpr std::uint32_t parked_events_to_replay[] = {type_oid::text, type_oid::text, type_oid::int4};
inline constexpr std::uint32_t resolve_parked_event[] = {type_oid::text, type_oid::text, type_oid::int4, type_oid::int8,
                                                         type_oid::text};
inline constexpr std::uint32_t subscription_and_event[] = {type_oid::text, type_oid::text};
inline constexpr std::uint32_t subscription_name[] = {type_oid::text};
inline constexpr std::uint32_t reset_subscription[] = {type_oid::text, type_oid::xid8, type_oid::int8};
inline constexpr std::uint32_t wait_for_log[] = {type_oid::int8, type_oid::int4};
inline constexpr std::span<const std::uint32_t> none{};
}  // namespace statement_parameters

enum class Planning { prepared, per_call };

// An entry of the table; its parameter count is the size of `parameter_types`.
consteval pq::Statement define(StatementId id, const char* name, const char* sql,
                               std::span<const std::uint32_t> parameter_types, Planning planning = Planning::prepared) {
  return pq::Statement{
      std::to_underlying(id),        name, sql, parameter_types.data(), static_cast<int>(parameter_types.size()),
      planning == Planning::per_call};
}

// The columns of eventstore.recorded_event, in the order the row decoder reads them.
#define EVENTSTORE_RECORDED_EVENT_COLUMNS \
  "stream_name, version, position, transaction_id, event_id, event_type, data, metadata, created_at"

inline constexpr std::array<pq::Statement, statement_count> statement_table{{
    // Four parallel arrays, one element per event, zipped back in order;
    // empty metadata is a NULL element.
    define(StatementId::append, "eventstore_client_append",
           "SELECT next_expected_version, first_position, last_position FROM eventstore.append($1, $2, ARRAY("
           "SELECT eventstore.event(u.event_type, u.data, u.metadata, u.event_id) "
           "FROM unnest($3::text[], $4::jsonb[], $5::jsonb[], $6::uuid[]) "
           "WITH ORDINALITY AS u(event_type, data, metadata, event_id, ordinal) ORDER BY u.ordinal))",
           statement_parameters::append),

    define(StatementId::read_stream, "eventstore_client_read_stream",
           "SELECT " EVENTSTORE_RECORDED_EVENT_COLUMNS " FROM eventstore.read_stream($1, $2, $3, $4)",
           statement_parameters::read_stream),

    define(StatementId::stream_version, "eventstore_client_stream_version", "SELECT eventstore.stream_version($1)",
           statement_parameters::stream_version),

    define(StatementId::read_all, "eventstore_client_read_all",
           "SELECT " EVENTSTORE_RECORDED_EVENT_COLUMNS " FROM eventstore.read_all($1, $2, $3, $4)",
           statement_parameters::read_all),

    define(StatementId::read_category, "eventstore_client_read_category",
           "SELECT " EVENTSTORE_RECORDED_EVENT_COLUMNS " FROM eventstore.read_category($1, $2, $3, $4, $5)",
           statement_parameters::read_category),

    define(StatementId::read_category_group, "eventstore_client_read_category_group",
           "SELECT " EVENTSTORE_RECORDED_EVENT_COLUMNS " FROM eventstore.read_category($1, $2, $3, $4, $5, $6, $7)",
           statement_parameters::read_category_group),

    define(StatementId::save_snapshot, "eventstore_client_save_snapshot",
           "SELECT FROM eventstore.save_snapshot($1, $2, $3, $4, $5)", statement_parameters::save_snapshot),

    // The columns of eventstore.loaded_row, in the order loaded_stream_rows reads them.
    define(StatementId::load, "eventstore_client_load",
           "SELECT is_snapshot, version, position, transaction_id, event_id, event_type, data, "
           "metadata, created_at FROM eventstore.load($1, $2, $3)",
           statement_parameters::load),

    define(StatementId::delete_stream, "eventstore_client_delete_stream", "SELECT eventstore.delete_stream($1, $2)",
           statement_parameters::stream_and_version),

    define(StatementId::tombstone_stream, "eventstore_client_tombstone_stream",
           "SELECT eventstore.tombstone_stream($1, $2)", statement_parameters::stream_and_version),

    define(StatementId::truncate_stream, "eventstore_client_truncate_stream",
           "SELECT FROM eventstore.truncate_stream($1, $2)", statement_parameters::stream_and_version),

    define(StatementId::set_stream_limits, "eventstore_client_set_stream_limits",
           "SELECT FROM eventstore.set_stream_limits($1, $2, $3)", statement_parameters::set_stream_limits),

    define(StatementId::stream_state, "eventstore_client_stream_state",
           "SELECT version, deleted, tombstoned, truncate_before, max_count, max_age, created_at "
           "FROM eventstore.stream_state($1)",
           statement_parameters::stream_name),

    define(StatementId::reclaim, "eventstore_client_reclaim", "SELECT eventstore.reclaim($1)",
           statement_parameters::reclaim),

    // A generic plan of the inlined function walks the whole log for a rare
    // type; planned with the call's values it reads events_type_order.
    define(StatementId::read_event_type, "eventstore_client_read_event_type",
           "SELECT " EVENTSTORE_RECORDED_EVENT_COLUMNS " FROM eventstore.read_event_type($1, $2, $3, $4)",
           statement_parameters::read_event_type, Planning::per_call),

    // The cursor of a time range is the created_at and position of the last
    // event of the previous page; that of a correlated read, its log position.
    define(StatementId::read_time_range, "eventstore_client_read_time_range",
           "SELECT " EVENTSTORE_RECORDED_EVENT_COLUMNS " FROM eventstore.read_time_range($1, $2, $3, $4, $5)",
           statement_parameters::read_time_range, Planning::per_call),

    define(StatementId::read_correlated, "eventstore_client_read_correlated",
           "SELECT " EVENTSTORE_RECORDED_EVENT_COLUMNS " FROM eventstore.read_correlated($1, $2, $3, $4)",
           statement_parameters::read_correlated, Planning::per_call),

    define(StatementId::stats, "eventstore_client_stats",
           "SELECT streams, events, snapshots, bytes, appends_since_start, "
           "events_appended_since_start, conflicts_since_start, log_fence, "
           "oldest_transaction_pid, oldest_transaction_age, log_fence_source, coalesce(fence_held_by, ''), "
           "fence_holder_gid, prepared_transactions FROM eventstore.stats()",
           statement_parameters::none),

    define(StatementId::category_stats, "eventstore_client_category_stats",
           "SELECT category, streams, events, last_appended_at FROM eventstore.category_stats ORDER BY category",
           statement_parameters::none),

    define(StatementId::event_type_stats, "eventstore_client_event_type_stats",
           "SELECT event_type, events, payload_bytes, last_appended_at FROM eventstore.event_type_stats "
           "ORDER BY event_type",
           statement_parameters::none),

    // Subscriptions (subscription_calls.hpp). The lease goes as milliseconds
    // and event ids as text: these calls are rare next to reads and appends.
    define(StatementId::join_subscription, "eventstore_client_join_subscription",
           "SELECT partition_number, lease_epoch, checkpoint_transaction, checkpoint_position "
           "FROM eventstore.join_subscription($1, $2, $3, make_interval(secs => $4 / 1000.0), $5, $6)",
           statement_parameters::join_subscription),

    define(StatementId::acknowledge, "eventstore_client_acknowledge",
           "SELECT eventstore.acknowledge($1, $2, $3, $4, $5, $6)", statement_parameters::acknowledge),

    define(StatementId::leave_subscription, "eventstore_client_leave_subscription",
           "SELECT FROM eventstore.leave_subscription($1, $2)", statement_parameters::subscription_and_member),

    define(StatementId::park_event, "eventstore_client_park_event",
           "SELECT FROM eventstore.park_event($1, $2, $3, $4, $5::uuid, $6, $7, $8, $9, $10, $11, $12)",
           statement_parameters::park_event),

    // The columns of a parked event, in the order parked_event_rows reads them.
    define(StatementId::parked_events_to_replay, "eventstore_client_parked_events_to_replay",
           "SELECT event_id, partition_number, stream_name, version, transaction_id, position, event_type, error, "
           "attempts, state FROM eventstore.parked_events_to_replay($1, $2, $3)",
           statement_parameters::parked_events_to_replay),

    define(StatementId::resolve_parked_event, "eventstore_client_resolve_parked_event",
           "SELECT FROM eventstore.resolve_parked_event($1, $2, $3, $4, $5::uuid)",
           statement_parameters::resolve_parked_event),

    define(StatementId::replay_parked_events, "eventstore_client_replay_parked_events",
           "SELECT eventstore.replay_parked_events($1, $2::uuid)", statement_parameters::subscription_and_event),

    define(StatementId::skip_parked_event, "eventstore_client_skip_parked_event",
           "SELECT eventstore.skip_parked_event($1, $2::uuid)", statement_parameters::subscription_and_event),

    define(StatementId::parked_events, "eventstore_client_parked_events",
           "SELECT event_id, partition_number, stream_name, version, transaction_id, position, event_type, error, "
           "attempts, state FROM eventstore.parked_events WHERE subscription_name = $1 "
           "ORDER BY transaction_id, position",
           statement_parameters::subscription_name),

    define(StatementId::reset_subscription, "eventstore_client_reset_subscription",
           "SELECT FROM eventstore.reset_subscription($1, $2, $3)", statement_parameters::reset_subscription),

    define(StatementId::subscription_lag, "eventstore_client_subscription_lag",
           "SELECT partition_number, coalesce(owner, ''), lease_epoch, checkpoint_transaction, checkpoint_position, "
           "events_behind, seconds_behind, parked_events, coalesce(log_held_by, '') "
           "FROM eventstore.subscription_lag($1)",
           statement_parameters::subscription_name),

    define(StatementId::wait_for_log, "eventstore_client_wait_for_log", "SELECT eventstore.wait_for_log($1, $2)",
           statement_parameters::wait_for_log),
}};

#undef EVENTSTORE_RECORDED_EVENT_COLUMNS

[[nodiscard]] constexpr const pq::Statement& statement(StatementId id) noexcept {
  return statement_table[std::to_underlying(id)];
}

namespace statement_checks {

// Every slot holds the entry of its own id (an entry out of place or missing fails here).
consteval bool every_entry_at_its_id() {
  for (std::size_t index = 0; index < statement_table.size(); ++index)
    if (statement_table[index].slot != index || statement_table[index].name == nullptr) return false;
  return true;
}

// The server knows a prepared statement by its name, the transport's own included.
consteval bool names_unique() {
  for (std::size_t index = 0; index < statement_table.size(); ++index) {
    std::string_view name = statement_table[index].name;
    if (name == pq::set_local_statement_timeout.name) return false;
    for (std::size_t other = index + 1; other < statement_table.size(); ++other)
      if (name == statement_table[other].name) return false;
  }
  return true;
}

// The highest $n in `sql`.
consteval int highest_placeholder(std::string_view sql) {
  int highest = 0;
  for (std::size_t at = 0; at < sql.size(); ++at) {
    if (sql[at] != '$') continue;
    int number = 0;
    while (at + 1 < sql.size() && sql[at + 1] >= '0' && sql[at + 1] <= '9') number = number * 10 + (sql[++at] - '0');
    highest = number > highest ? number : highest;
  }
  return highest;
}

consteval bool parameters_match_sql(const pq::Statement& statement) {
  return statement.parameter_count == highest_placeholder(statement.sql);
}

consteval bool every_parameter_count_matches_its_sql() {
  for (const pq::Statement& entry : statement_table)
    if (!parameters_match_sql(entry)) return false;
  return parameters_match_sql(pq::set_local_statement_timeout);
}

static_assert(every_entry_at_its_id(), "each entry of statement_table must sit at the index of its StatementId");
static_assert(names_unique(), "two prepared statements have the same name");
static_assert(every_parameter_count_matches_its_sql(),
              "a statement's parameter types do not match the highest $n of its SQL");

}  // namespace statement_checks

}  // namespace eventstore::detail
