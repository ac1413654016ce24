#include "subscription_calls.hpp"

#include <bit>
#include <string>

#include "pq/binary_array.hpp"
#include "pq/binary_format.hpp"
#include "pq/rows.hpp"
#include "pq/type_oids.hpp"
#include "recorded_event_rows.hpp"
#include "statements.hpp"

namespace eventstore::detail {
namespace {

namespace binary_format = pq::binary_format;
namespace type_oid = pq::type_oid;

// The rows of `result` (which must outlive them), when their columns are as expected.
Result<pq::Rows> checked_rows(const Result<pq::QueryResult>& result, std::span<const std::uint32_t> column_types,
                              const char* what) {
  if (!result) return std::unexpected(result.error());
  pq::Rows rows = *result;
  if (auto checked = rows.check_columns(column_types, what); !checked) return std::unexpected(checked.error());
  return rows;
}

Result<std::int32_t> read_int32(const pq::Rows& rows, int row, int column) {
  auto field = rows.sized(row, column, 4);
  if (!field) return std::unexpected(field.error());
  return binary_format::read_int32(field->data());
}

// A checkpoint is two columns, both NULL or both set.
Result<std::optional<LogPosition>> read_checkpoint(const pq::Rows& rows, int row, int column) {
  auto transaction = rows.null_or_sized(row, column, 8);
  auto position = rows.null_or_sized(row, column + 1, 8);
  if (!transaction) return std::unexpected(transaction.error());
  if (!position) return std::unexpected(position.error());
  if (!*transaction || !*position) return std::optional<LogPosition>{};
  return LogPosition{binary_format::read_uint64((*transaction)->data()),
                     GlobalPosition{binary_format::read_int64((*position)->data())}};
}

std::string encode_text_array(const std::vector<std::string>& texts) {
  std::size_t bytes = 0;
  for (const std::string& text : texts) bytes += text.size();
  pq::BinaryArrayBuilder array(type_oid::text, texts.size(), bytes);
  for (const std::string& text : texts) array.add(text);
  return std::move(array).finish();
}

std::string event_id_text(const EventId& id) { return id.to_string(); }

Result<ParkedEventState> parse_parked_state(std::string_view text) {
  for (ParkedEventState state :
       {ParkedEventState::parked, ParkedEventState::replay, ParkedEventState::replayed, ParkedEventState::skipped})
    if (to_string(state) == text) return state;
  return std::unexpected(Error{ErrorCode::internal, "a parked event in an unknown state: " + std::string{text}});
}

enum ParkedEventColumn {
  parked_event_id,
  parked_partition,
  parked_stream_name,
  parked_version,
  parked_transaction_id,
  parked_position,
  parked_event_type,
  parked_error,
  parked_attempts,
  parked_state,
  parked_event_column_count
};

constexpr std::uint32_t parked_event_types[parked_event_column_count] = {
    type_oid::uuid, type_oid::int4, type_oid::text, type_oid::int8, type_oid::xid8,
    type_oid::int8, type_oid::text, type_oid::text, type_oid::int4, type_oid::text};

Result<std::vector<ParkedEvent>> decode_parked_events(const Result<pq::QueryResult>& result, const char* what) {
  auto rows = checked_rows(result, parked_event_types, what);
  if (!rows) return std::unexpected(rows.error());
  std::vector<ParkedEvent> events;
  events.reserve(static_cast<std::size_t>(rows->row_count()));
  for (int row = 0; row < rows->row_count(); ++row) {
    auto id = rows->sized(row, parked_event_id, 16);
    auto partition = read_int32(*rows, row, parked_partition);
    auto version = rows->int64(row, parked_version);
    auto checkpoint = read_checkpoint(*rows, row, parked_transaction_id);
    auto attempts = read_int32(*rows, row, parked_attempts);
    auto state = parse_parked_state(rows->bytes(row, parked_state));
    if (!id) return std::unexpected(id.error());
    if (!partition) return std::unexpected(partition.error());
    if (!version) return std::unexpected(version.error());
    if (!checkpoint || !*checkpoint)
      return std::unexpected(checkpoint ? Error{ErrorCode::internal, "a parked event without a position"}
                                        : checkpoint.error());
    if (!attempts) return std::unexpected(attempts.error());
    if (!state) return std::unexpected(state.error());
    EventId::Bytes bytes;
    std::copy(id->begin(), id->end(), bytes.begin());
    events.push_back(
        ParkedEvent{EventId{bytes}, *partition, ServerValues::stream_name(rows->bytes(row, parked_stream_name)),
                    StreamVersion{*version}, **checkpoint, std::string{rows->bytes(row, parked_event_type)},
                    std::string{rows->bytes(row, parked_error)}, *attempts, *state});
  }
  return events;
}

Result<std::int32_t> single_int32(const Result<pq::QueryResult>& result, const char* what) {
  static constexpr std::uint32_t column_types[] = {type_oid::int4};
  auto rows = checked_rows(result, column_types, what);
  if (!rows) return std::unexpected(rows.error());
  if (rows->row_count() != 1)
    return std::unexpected(Error{ErrorCode::internal, std::string{what} + " returned no row"});
  return read_int32(*rows, 0, 0);
}

Result<void> no_rows_expected(const Result<pq::QueryResult>& result) {
  if (!result) return std::unexpected(result.error());
  return {};
}

template <std::size_t Count>
void set_lease(pq::BinaryParameters<Count>& parameters, const SubscriptionMembership& member,
               const PartitionLease& lease) {
  parameters.set_text(0, member.subscription);
  parameters.set_text(1, member.member);
  parameters.set_int32(2, lease.partition);
  parameters.set_int64(3, lease.epoch);
}

}  // namespace

Result<std::vector<PartitionLease>> join_subscription(pq::Connection& connection,
                                                      const SubscriptionMembership& member) {
  pq::BinaryParameters<6> parameters;
  parameters.set_text(0, member.subscription);
  parameters.set_text(1, member.member);
  parameters.set_int32(2, member.partition_count);
  parameters.set_int64(3, member.lease.count());
  if (member.source.category)
    parameters.set_text(4, *member.source.category);
  else
    parameters.set_null(4);
  if (member.source.event_types.empty())
    parameters.set_null(5);
  else
    parameters.set_encoded(5, encode_text_array(member.source.event_types));
  static constexpr std::uint32_t column_types[] = {type_oid::int4, type_oid::int8, type_oid::xid8, type_oid::int8};
  auto result = connection.execute(statement(StatementId::join_subscription), parameters);
  auto rows = checked_rows(result, column_types, "eventstore.join_subscription");
  if (!rows) return std::unexpected(rows.error());
  std::vector<PartitionLease> leases;
  for (int row = 0; row < rows->row_count(); ++row) {
    auto partition = read_int32(*rows, row, 0);
    auto epoch = rows->int64(row, 1);
    auto checkpoint = read_checkpoint(*rows, row, 2);
    if (!partition) return std::unexpected(partition.error());
    if (!epoch) return std::unexpected(epoch.error());
    if (!checkpoint) return std::unexpected(checkpoint.error());
    leases.push_back(PartitionLease{*partition, *epoch, *checkpoint});
  }
  return leases;
}

Result<bool> acknowledge(pq::Connection& connection, const SubscriptionMembership& member, const PartitionLease& lease,
                         LogPosition position) {
  pq::BinaryParameters<6> parameters;
  set_lease(parameters, member, lease);
  parameters.set_uint64(4, position.transaction_id);
  parameters.set_int64(5, position.position.value());
  static constexpr std::uint32_t column_types[] = {type_oid::boolean};
  auto result = connection.execute(statement(StatementId::acknowledge), parameters);
  auto rows = checked_rows(result, column_types, "eventstore.acknowledge");
  if (!rows) return std::unexpected(rows.error());
  auto moved = rows->row_count() == 1 ? rows->sized(0, 0, 1)
                                      : Result<std::string_view>{std::unexpected(
                                            Error{ErrorCode::internal, "eventstore.acknowledge returned no row"})};
  if (!moved) return std::unexpected(moved.error());
  return moved->front() != 0;
}

Result<void> leave_subscription(pq::Connection& connection, const SubscriptionMembership& member) {
  pq::BinaryParameters<2> parameters;
  parameters.set_text(0, member.subscription);
  parameters.set_text(1, member.member);
  return no_rows_expected(connection.execute(statement(StatementId::leave_subscription), parameters));
}

Result<void> park_event(pq::Connection& connection, const SubscriptionMembership& member, const PartitionLease& lease,
                        const RecordedEvent& event, std::string_view error, std::int32_t attempts) {
  pq::BinaryParameters<12> parameters;
  set_lease(parameters, member, lease);
  std::string id = event_id_text(event.id);
  parameters.set_text(4, id);
  parameters.set_text(5, event.stream.value());
  parameters.set_int64(6, event.version.value());
  parameters.set_uint64(7, event.log_position.transaction_id);
  parameters.set_int64(8, event.log_position.position.value());
  parameters.set_text(9, event.type);
  parameters.set_text(10, error);
  parameters.set_int32(11, attempts);
  return no_rows_expected(connection.execute(statement(StatementId::park_event), parameters));
}

Result<std::vector<ParkedEvent>> parked_events_to_replay(pq::Connection& connection,
                                                         const SubscriptionMembership& member, std::int32_t max_count) {
  pq::BinaryParameters<3> parameters;
  parameters.set_text(0, member.subscription);
  parameters.set_text(1, member.member);
  parameters.set_int32(2, max_count);
  return decode_parked_events(connection.execute(statement(StatementId::parked_events_to_replay), parameters),
                              "eventstore.parked_events_to_replay");
}

Result<void> resolve_parked_event(pq::Connection& connection, const SubscriptionMembership& member,
                                  const PartitionLease& lease, const EventId& event_id) {
  pq::BinaryParameters<5> parameters;
  set_lease(parameters, member, lease);
  std::string id = event_id_text(event_id);
  parameters.set_text(4, id);
  return no_rows_expected(connection.execute(statement(StatementId::resolve_parked_event), parameters));
}

Result<std::int32_t> replay_parked_events(pq::Connection& connection, std::string_view subscription,
                                          std::optional<EventId> event_id) {
  pq::BinaryParameters<2> parameters;
  parameters.set_text(0, subscription);
  std::string id = event_id ? event_id_text(*event_id) : std::string{};
  if (event_id)
    parameters.set_text(1, id);
  else
    parameters.set_null(1);
  return single_int32(connection.execute(statement(StatementId::replay_parked_events), parameters),
                      "eventstore.replay_parked_events");
}

Result<std::int32_t> skip_parked_event(pq::Connection& connection, std::string_view subscription,
                                       const EventId& event_id) {
  pq::BinaryParameters<2> parameters;
  parameters.set_text(0, subscription);
  std::string id = event_id_text(event_id);
  parameters.set_text(1, id);
  return single_int32(connection.execute(statement(StatementId::skip_parked_event), parameters),
                      "eventstore.skip_parked_event");
}

Result<std::vector<ParkedEvent>> parked_events(pq::Connection& connection, std::string_view subscription) {
  pq::BinaryParameters<1> parameters;
  parameters.set_text(0, subscription);
  return decode_parked_events(connection.execute(statement(StatementId::parked_events), parameters),
                              "eventstore.parked_events");
}

Result<void> reset_subscription(pq::Connection& connection, std::string_view subscription,
                                std::optional<LogPosition> position) {
  pq::BinaryParameters<3> parameters;
  parameters.set_text(0, subscription);
  if (position) {
    parameters.set_uint64(1, position->transaction_id);
    parameters.set_int64(2, position->position.value());
  } else {
    parameters.set_null(1);
    parameters.set_null(2);
  }
  return no_rows_expected(connection.execute(statement(StatementId::reset_subscription), parameters));
}

Result<std::vector<PartitionLag>> subscription_lag(pq::Connection& connection, std::string_view subscription) {
  pq::BinaryParameters<1> parameters;
  parameters.set_text(0, subscription);
  static constexpr std::uint32_t column_types[] = {type_oid::int4,   type_oid::text, type_oid::int8,
                                                   type_oid::xid8,   type_oid::int8, type_oid::int8,
                                                   type_oid::float8, type_oid::int8, type_oid::text};
  auto result = connection.execute(statement(StatementId::subscription_lag), parameters);
  auto rows = checked_rows(result, column_types, "eventstore.subscription_lag");
  if (!rows) return std::unexpected(rows.error());
  std::vector<PartitionLag> lags;
  for (int row = 0; row < rows->row_count(); ++row) {
    auto partition = read_int32(*rows, row, 0);
    auto epoch = rows->int64(row, 2);
    auto checkpoint = read_checkpoint(*rows, row, 3);
    auto behind = rows->int64(row, 5);
    auto seconds = rows->sized(row, 6, 8);
    auto parked = rows->int64(row, 7);
    if (!partition) return std::unexpected(partition.error());
    if (!epoch) return std::unexpected(epoch.error());
    if (!checkpoint) return std::unexpected(checkpoint.error());
    if (!behind) return std::unexpected(behind.error());
    if (!seconds) return std::unexpected(seconds.error());
    if (!parked) return std::unexpected(parked.error());
    lags.push_back(PartitionLag{*partition, std::string{rows->bytes(row, 1)}, *epoch, *checkpoint, *behind,
                                std::bit_cast<double>(binary_format::read_uint64(seconds->data())), *parked,
                                std::string{rows->bytes(row, 8)}});
  }
  return lags;
}

Result<std::optional<std::uint64_t>> wait_for_log(pq::Connection& connection, std::optional<std::uint64_t> seen,
                                                  std::chrono::milliseconds timeout) {
  pq::BinaryParameters<2> parameters;
  if (seen)
    parameters.set_uint64(0, *seen);
  else
    parameters.set_null(0);
  parameters.set_int32(1, static_cast<std::int32_t>(std::clamp<std::int64_t>(timeout.count(), 0, 3'600'000)));
  static constexpr std::uint32_t column_types[] = {type_oid::int8};
  auto result = connection.execute(statement(StatementId::wait_for_log), parameters);
  auto rows = checked_rows(result, column_types, "eventstore.wait_for_log");
  if (!rows) return std::unexpected(rows.error());
  if (rows->row_count() != 1)
    return std::unexpected(Error{ErrorCode::internal, "eventstore.wait_for_log returned no row"});
  auto changes = rows->null_or_sized(0, 0, 8);
  if (!changes) return std::unexpected(changes.error());
  if (!*changes) return std::optional<std::uint64_t>{};
  return std::optional<std::uint64_t>{binary_format::read_uint64((*changes)->data())};
}

}  // namespace eventstore::detail
