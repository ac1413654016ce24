#include "append_events.hpp"

#include <cstdint>
#include <limits>
#include <string>

#include "eventstore/core/input_check.hpp"
#include "pq/binary_array.hpp"
#include "pq/binary_format.hpp"
#include "pq/type_oids.hpp"
#include "statements.hpp"

namespace eventstore::detail {
namespace {

namespace binary_format = pq::binary_format;
namespace type_oid = pq::type_oid;

constexpr std::uint32_t append_result_types[] = {type_oid::int8, type_oid::int8, type_oid::int8};

// The client applies the server's rules for what it can check alone, so that
// such mistakes cost no round trip. JSON is left to the server.
Result<void> check_events(ExpectedVersion expected, std::span<const EventData> events) {
  if (auto problem = core::check_expected_version(expected.value()))
    return std::unexpected(
        Error{ErrorCode::invalid_expected_version,
              std::string{core::describe(*problem)} + (expected.value() == std::numeric_limits<std::int64_t>::min()
                                                           ? ", got ExpectedVersion::exactly() of a version below -1"
                                                           : ", got " + std::to_string(expected.value()))});
  if (events.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    return std::unexpected(Error{ErrorCode::too_many_events, "an append takes at most 2^31-1 events"});
  std::size_t total_bytes = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const EventData& event = events[i];
    if (auto problem = core::check_event_type(event.type))
      return std::unexpected(Error{ErrorCode::invalid_event_type,
                                   std::string{core::describe(*problem)} + " (event " + std::to_string(i + 1) + ")"});
    total_bytes += event.type.size() + event.data.size() + event.metadata.size() + 40;
    if (total_bytes > largest_message_bytes)
      return std::unexpected(
          Error{ErrorCode::event_too_large, "the events of one append must fit in 1 GiB (reached at event " +
                                                std::to_string(i + 1) + "); split the append"});
  }
  return {};
}

}  // namespace

Result<void> encode_append(const StreamName& stream, ExpectedVersion expected, std::span<const EventData> events,
                           AppendParameters& parameters) {
  if (auto checked = check_events(expected, events); !checked) return std::unexpected(checked.error());

  std::size_t type_bytes = 0, data_bytes = 0, metadata_bytes = 0;
  for (const EventData& event : events) {
    type_bytes += event.type.size();
    data_bytes += event.data.size() + 1;
    metadata_bytes += event.metadata.size() + 1;
  }
  pq::BinaryArrayBuilder types(type_oid::text, events.size(), type_bytes);
  pq::BinaryArrayBuilder data(type_oid::jsonb, events.size(), data_bytes);
  pq::BinaryArrayBuilder metadata(type_oid::jsonb, events.size(), metadata_bytes);
  pq::BinaryArrayBuilder ids(type_oid::uuid, events.size(), 16 * events.size());
  for (const EventData& event : events) {
    types.add(event.type);
    data.add_with_prefix(binary_format::jsonb_version, event.data);
    if (event.metadata.empty())
      metadata.add_null();
    else
      metadata.add_with_prefix(binary_format::jsonb_version, event.metadata);
    const EventId::Bytes& id = event.id.bytes();
    ids.add(std::string_view{reinterpret_cast<const char*>(id.data()), id.size()});
  }

  parameters.set_text(0, stream.value());
  parameters.set_int64(1, expected.value());
  parameters.set_encoded(2, std::move(types).finish());
  parameters.set_encoded(3, std::move(data).finish());
  parameters.set_encoded(4, std::move(metadata).finish());
  parameters.set_encoded(5, std::move(ids).finish());
  return {};
}

Result<AppendResult> decode_append_result(pq::Rows rows) {
  if (auto checked = rows.check_columns(append_result_types, "eventstore.append_result"); !checked)
    return std::unexpected(checked.error());
  if (rows.row_count() != 1)
    return std::unexpected(Error{
        ErrorCode::internal, "eventstore.append returned " + std::to_string(rows.row_count()) + " rows instead of 1"});
  auto next_expected_version = rows.int64(0, 0);
  auto first_position = rows.int64(0, 1);
  auto last_position = rows.int64(0, 2);
  if (!next_expected_version) return std::unexpected(next_expected_version.error());
  if (!first_position) return std::unexpected(first_position.error());
  if (!last_position) return std::unexpected(last_position.error());
  return AppendResult{StreamVersion{*next_expected_version}, GlobalPosition{*first_position},
                      GlobalPosition{*last_position}};
}

Result<AppendResult> append_events(pq::Connection& connection, const StreamName& stream, ExpectedVersion expected,
                                   std::span<const EventData> events) {
  AppendParameters parameters;
  if (auto encoded = encode_append(stream, expected, events, parameters); !encoded)
    return std::unexpected(encoded.error());
  auto result = connection.execute(statement(StatementId::append), parameters);
  if (!result) return std::unexpected(std::move(result.error()));
  return decode_append_result(*result);
}

}  // namespace eventstore::detail
