#include "lifecycle_calls.hpp"

#include <chrono>
#include <string>

#include "eventstore/store/detail/client_checks.hpp"
#include "pq/binary_format.hpp"
#include "pq/rows.hpp"
#include "pq/type_oids.hpp"
#include "statements.hpp"

namespace eventstore::detail {
namespace {

namespace binary_format = pq::binary_format;
namespace type_oid = pq::type_oid;

// The single bigint a function returned.
Result<std::int64_t> single_bigint(Result<pq::QueryResult> result, const char* what) {
  if (!result) return std::unexpected(std::move(result.error()));
  static constexpr std::uint32_t column_types[] = {type_oid::int8};
  pq::Rows rows = *result;
  if (auto checked = rows.check_columns(column_types, what); !checked) return std::unexpected(checked.error());
  if (rows.row_count() != 1) return std::unexpected(Error{ErrorCode::internal, std::string{what} + " returned no row"});
  return rows.int64(0, 0);
}

enum StreamStateColumn {
  state_version,
  state_deleted,
  state_tombstoned,
  state_truncate_before,
  state_max_count,
  state_max_age,
  state_created_at,
  stream_state_column_count
};

constexpr std::uint32_t stream_state_types[stream_state_column_count] = {
    type_oid::int8, type_oid::boolean,  type_oid::boolean,    type_oid::int8,
    type_oid::int8, type_oid::interval, type_oid::timestamptz};

Result<StreamState> decode_stream_state(pq::Rows rows) {
  auto version = rows.sized(0, state_version, 8);
  auto deleted = rows.sized(0, state_deleted, 1);
  auto tombstoned = rows.sized(0, state_tombstoned, 1);
  auto truncate_before = rows.sized(0, state_truncate_before, 8);
  auto created_at = rows.sized(0, state_created_at, 8);
  auto max_count = rows.null_or_sized(0, state_max_count, 8);
  auto max_age = rows.null_or_sized(0, state_max_age, binary_format::interval_size);
  for (const Result<std::string_view>* field : {&version, &deleted, &tombstoned, &truncate_before, &created_at})
    if (!*field) return std::unexpected(field->error());
  if (!max_count) return std::unexpected(max_count.error());
  if (!max_age) return std::unexpected(max_age.error());

  StreamState state{StreamVersion{binary_format::read_int64(version->data())}};
  state.deleted = deleted->front() != 0;
  state.tombstoned = tombstoned->front() != 0;
  state.truncate_before = StreamVersion{binary_format::read_int64(truncate_before->data())};
  if (*max_count) state.limits.max_count = binary_format::read_int64((*max_count)->data());
  if (*max_age)
    state.limits.max_age = std::chrono::microseconds{binary_format::read_interval_microseconds((*max_age)->data())};
  state.created_at = std::chrono::sys_time<std::chrono::microseconds>{
      std::chrono::microseconds{binary_format::read_unix_microseconds(created_at->data())}};
  return state;
}

}  // namespace

Result<StreamVersion> delete_stream(pq::Connection& connection, const StreamName& stream, ExpectedVersion expected,
                                    StreamDeletion deletion) {
  if (auto checked = check_expected_version(expected); !checked) return std::unexpected(checked.error());
  pq::BinaryParameters<2> parameters;
  parameters.set_text(0, stream.value());
  parameters.set_int64(1, expected.value());
  bool soft = deletion == StreamDeletion::soft;
  auto version = single_bigint(
      connection.execute(statement(soft ? StatementId::delete_stream : StatementId::tombstone_stream), parameters),
      soft ? "eventstore.delete_stream" : "eventstore.tombstone_stream");
  if (!version) return std::unexpected(std::move(version.error()));
  return StreamVersion{*version};
}

Result<void> truncate_stream(pq::Connection& connection, const StreamName& stream, StreamVersion before) {
  pq::BinaryParameters<2> parameters;
  parameters.set_text(0, stream.value());
  parameters.set_int64(1, before.value());
  auto result = connection.execute(statement(StatementId::truncate_stream), parameters);
  if (!result) return std::unexpected(std::move(result.error()));
  return {};
}

Result<void> set_stream_limits(pq::Connection& connection, const StreamName& stream, const StreamLimits& limits) {
  pq::BinaryParameters<3> parameters;
  parameters.set_text(0, stream.value());
  if (limits.max_count)
    parameters.set_int64(1, *limits.max_count);
  else
    parameters.set_null(1);
  if (limits.max_age) {
    std::string interval;
    binary_format::append_interval(interval, limits.max_age->count());
    parameters.set_encoded(2, std::move(interval));
  } else {
    parameters.set_null(2);
  }
  auto result = connection.execute(statement(StatementId::set_stream_limits), parameters);
  if (!result) return std::unexpected(std::move(result.error()));
  return {};
}

Result<std::optional<StreamState>> stream_state(pq::Connection& connection, const StreamName& stream) {
  pq::BinaryParameters<1> parameters;
  parameters.set_text(0, stream.value());
  auto result = connection.execute(statement(StatementId::stream_state), parameters);
  if (!result) return std::unexpected(std::move(result.error()));
  pq::Rows rows = *result;
  if (auto checked = rows.check_columns(stream_state_types, "eventstore.stream_state"); !checked)
    return std::unexpected(checked.error());
  if (rows.row_count() == 0) return std::optional<StreamState>{};
  auto state = decode_stream_state(rows);
  if (!state) return std::unexpected(std::move(state.error()));
  return std::optional<StreamState>{std::move(*state)};
}

Result<StreamVersion> stream_version(pq::Connection& connection, const StreamName& stream) {
  pq::BinaryParameters<1> parameters;
  parameters.set_text(0, stream.value());
  auto version = single_bigint(connection.execute(statement(StatementId::stream_version), parameters),
                               "eventstore.stream_version");
  if (!version) return std::unexpected(std::move(version.error()));
  return StreamVersion{*version};
}

Result<std::int64_t> reclaim(pq::Connection& connection, std::int32_t max_events) {
  pq::BinaryParameters<1> parameters;
  parameters.set_int32(0, max_events);
  return single_bigint(connection.execute(statement(StatementId::reclaim), parameters), "eventstore.reclaim");
}

}  // namespace eventstore::detail
