#include "read_log_page.hpp"

#include "eventstore/store/detail/client_checks.hpp"
#include "pq/binary_array.hpp"
#include "pq/type_oids.hpp"
#include "recorded_event_rows.hpp"
#include "statements.hpp"

namespace eventstore::detail {
namespace {

std::string encode_event_types(const std::vector<std::string>& event_types) {
  std::size_t bytes = 0;
  for (const std::string& type : event_types) bytes += type.size();
  pq::BinaryArrayBuilder array(pq::type_oid::text, event_types.size(), bytes);
  for (const std::string& type : event_types) array.add(type);
  return std::move(array).finish();
}

template <std::size_t Count>
void set_log_arguments(pq::BinaryParameters<Count>& parameters, std::size_t first, std::optional<LogPosition> after,
                       std::int32_t max_count, const std::vector<std::string>& event_types) {
  if (after) {
    parameters.set_uint64(first, after->transaction_id);
    parameters.set_int64(first + 1, after->position.value());
  } else {
    parameters.set_null(first);
    parameters.set_null(first + 1);
  }
  parameters.set_int32(first + 2, max_count);
  // No types: NULL, every type (an empty array is an error on the server).
  if (event_types.empty())
    parameters.set_null(first + 3);
  else
    parameters.set_encoded(first + 3, encode_event_types(event_types));
}

}  // namespace

Result<std::vector<RecordedEvent>> read_log_page(pq::Connection& connection, std::optional<std::string_view> category,
                                                 std::optional<LogPosition> after, std::int32_t max_count,
                                                 const std::vector<std::string>& event_types,
                                                 std::optional<ConsumerGroup> group) {
  if (auto checked = check_event_type_filter(event_types); !checked) return std::unexpected(checked.error());

  Result<pq::QueryResult> result = std::unexpected(Error{ErrorCode::internal, "not run"});
  if (category) {
    if (auto checked = check_category_bytes(*category); !checked) return std::unexpected(checked.error());
    if (group) {
      pq::BinaryParameters<7> parameters;
      parameters.set_text(0, *category);
      set_log_arguments(parameters, 1, after, max_count, event_types);
      parameters.set_int32(5, group->member);
      parameters.set_int32(6, group->size);
      result = connection.execute(statement(StatementId::read_category_group), parameters);
    } else {
      pq::BinaryParameters<5> parameters;
      parameters.set_text(0, *category);
      set_log_arguments(parameters, 1, after, max_count, event_types);
      result = connection.execute(statement(StatementId::read_category), parameters);
    }
  } else {
    pq::BinaryParameters<4> parameters;
    set_log_arguments(parameters, 0, after, max_count, event_types);
    result = connection.execute(statement(StatementId::read_all), parameters);
  }
  if (!result) return std::unexpected(std::move(result.error()));
  std::vector<RecordedEvent> events;
  if (auto decoded = decode_recorded_events(*result, events); !decoded)
    return std::unexpected(std::move(decoded.error()));
  return events;
}

}  // namespace eventstore::detail
