#include "read_log_page.hpp"

#include "binary_array.hpp"
#include "core/input_check.hpp"
#include "recorded_event_rows.hpp"
#include "type_oids.hpp"

namespace eventstore::detail {
namespace {

// The server rejects an empty category and one with '-' (invalid_argument);
// bytes it could not even decode are stopped here, so that they are not
// mistaken for a JSON problem.
Result<void> check_category(std::string_view category) {
  auto problem = core::check_stream_name(category);
  if (!problem || *problem == core::InputProblem::stream_name_empty) return {};
  return std::unexpected(Error{ErrorCode::invalid_argument,
                               "category must be at most 255 bytes of UTF-8 without control characters"});
}

Result<std::string> encode_event_types(const std::vector<std::string>& event_types) {
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < event_types.size(); ++i) {
    if (auto problem = core::check_event_type(event_types[i]))
      return std::unexpected(Error{ErrorCode::invalid_event_type, std::string{core::describe(*problem)} +
                                                                      " (event type filter " + std::to_string(i + 1) +
                                                                      ")"});
    bytes += event_types[i].size();
  }
  BinaryArrayBuilder array(type_oid::text, event_types.size(), bytes);
  for (const std::string& type : event_types) array.add(type);
  return std::move(array).finish();
}

template <std::size_t Count>
void set_log_arguments(BinaryParameters<Count>& parameters, std::size_t first, std::optional<LogPosition> after,
                       std::int32_t max_count, std::string encoded_event_types) {
  if (after) {
    parameters.set_uint64(first, after->transaction_id);
    parameters.set_int64(first + 1, after->position.value());
  } else {
    parameters.set_null(first);
    parameters.set_null(first + 1);
  }
  parameters.set_int32(first + 2, max_count);
  // No types: NULL, every type (an empty array is an error on the server).
  if (encoded_event_types.empty())
    parameters.set_null(first + 3);
  else
    parameters.set_encoded(first + 3, std::move(encoded_event_types));
}

}  // namespace

Result<std::vector<RecordedEvent>> read_log_page(Connection& connection, std::optional<std::string_view> category,
                                                 std::optional<LogPosition> after, std::int32_t max_count,
                                                 const std::vector<std::string>& event_types) {
  std::string encoded_types;
  if (!event_types.empty()) {
    auto encoded = encode_event_types(event_types);
    if (!encoded) return std::unexpected(std::move(encoded.error()));
    encoded_types = std::move(*encoded);
  }

  Result<QueryResult> result = std::unexpected(Error{ErrorCode::internal, "not run"});
  if (category) {
    if (auto checked = check_category(*category); !checked) return std::unexpected(checked.error());
    BinaryParameters<5> parameters;
    parameters.set_text(0, *category);
    set_log_arguments(parameters, 1, after, max_count, std::move(encoded_types));
    result = connection.execute(statements::read_category, parameters);
  } else {
    BinaryParameters<4> parameters;
    set_log_arguments(parameters, 0, after, max_count, std::move(encoded_types));
    result = connection.execute(statements::read_all, parameters);
  }
  if (!result) return std::unexpected(std::move(result.error()));
  std::vector<RecordedEvent> events;
  if (auto decoded = decode_recorded_events(result->get(), events); !decoded)
    return std::unexpected(std::move(decoded.error()));
  return events;
}

}  // namespace eventstore::detail
