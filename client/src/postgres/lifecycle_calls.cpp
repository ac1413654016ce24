#include "lifecycle_calls.hpp"

#include <chrono>
#include <string>

#include "binary_format.hpp"
#include "eventstore/store/detail/client_checks.hpp"
#include "result_fields.hpp"
#include "type_oids.hpp"

namespace eventstore::detail {
namespace {

// The single bigint a function returned.
Result<std::int64_t> single_bigint(Result<QueryResult> result, const char* what) {
  if (!result) return std::unexpected(std::move(result.error()));
  static constexpr std::uint32_t column_types[] = {type_oid::int8};
  if (auto checked = check_columns(result->get(), column_types, 1, what); !checked)
    return std::unexpected(checked.error());
  if (PQntuples(result->get()) != 1)
    return std::unexpected(Error{ErrorCode::internal, std::string{what} + " returned no row"});
  return int64_field(result->get(), 0, 0);
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

Result<StreamState> decode_stream_state(const PGresult* result) {
  auto version = fixed_field(result, 0, state_version, 8);
  auto deleted = fixed_field(result, 0, state_deleted, 1);
  auto tombstoned = fixed_field(result, 0, state_tombstoned, 1);
  auto truncate_before = fixed_field(result, 0, state_truncate_before, 8);
  auto created_at = fixed_field(result, 0, state_created_at, 8);
  auto no_max_count = null_or_sized(result, 0, state_max_count, 8);
  auto no_max_age = null_or_sized(result, 0, state_max_age, binary_format::interval_size);
  for (const Result<const char*>* field : {&version, &deleted, &tombstoned, &truncate_before, &created_at})
    if (!*field) return std::unexpected(field->error());
  if (!no_max_count) return std::unexpected(no_max_count.error());
  if (!no_max_age) return std::unexpected(no_max_age.error());

  StreamState state{StreamVersion{binary_format::read_int64(*version)}};
  state.deleted = **deleted != 0;
  state.tombstoned = **tombstoned != 0;
  state.truncate_before = StreamVersion{binary_format::read_int64(*truncate_before)};
  if (!*no_max_count) state.limits.max_count = binary_format::read_int64(PQgetvalue(result, 0, state_max_count));
  if (!*no_max_age)
    state.limits.max_age =
        std::chrono::microseconds{binary_format::read_interval_microseconds(PQgetvalue(result, 0, state_max_age))};
  state.created_at = std::chrono::sys_time<std::chrono::microseconds>{
      std::chrono::microseconds{binary_format::read_unix_microseconds(*created_at)}};
  return state;
}

}  // namespace

Result<StreamVersion> delete_stream(Connection& connection, const StreamName& stream, ExpectedVersion expected,
                                    StreamDeletion deletion) {
  if (auto checked = check_expected_version(expected); !checked) return std::unexpected(checked.error());
  BinaryParameters<2> parameters;
  parameters.set_text(0, stream.value());
  parameters.set_int64(1, expected.value());
  bool soft = deletion == StreamDeletion::soft;
  auto version =
      single_bigint(connection.execute(soft ? statements::delete_stream : statements::tombstone_stream, parameters),
                    soft ? "eventstore.delete_stream" : "eventstore.tombstone_stream");
  if (!version) return std::unexpected(std::move(version.error()));
  return StreamVersion{*version};
}

Result<void> truncate_stream(Connection& connection, const StreamName& stream, StreamVersion before) {
  BinaryParameters<2> parameters;
  parameters.set_text(0, stream.value());
  parameters.set_int64(1, before.value());
  auto result = connection.execute(statements::truncate_stream, parameters);
  if (!result) return std::unexpected(std::move(result.error()));
  return {};
}

Result<void> set_stream_limits(Connection& connection, const StreamName& stream, const StreamLimits& limits) {
  BinaryParameters<3> parameters;
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
  auto result = connection.execute(statements::set_stream_limits, parameters);
  if (!result) return std::unexpected(std::move(result.error()));
  return {};
}

Result<std::optional<StreamState>> stream_state(Connection& connection, const StreamName& stream) {
  BinaryParameters<1> parameters;
  parameters.set_text(0, stream.value());
  auto result = connection.execute(statements::stream_state, parameters);
  if (!result) return std::unexpected(std::move(result.error()));
  if (auto checked =
          check_columns(result->get(), stream_state_types, stream_state_column_count, "eventstore.stream_state");
      !checked)
    return std::unexpected(checked.error());
  if (PQntuples(result->get()) == 0) return std::optional<StreamState>{};
  auto state = decode_stream_state(result->get());
  if (!state) return std::unexpected(std::move(state.error()));
  return std::optional<StreamState>{std::move(*state)};
}

Result<std::int64_t> reclaim(Connection& connection, std::int32_t max_events) {
  BinaryParameters<1> parameters;
  parameters.set_int32(0, max_events);
  return single_bigint(connection.execute(statements::reclaim, parameters), "eventstore.reclaim");
}

}  // namespace eventstore::detail
