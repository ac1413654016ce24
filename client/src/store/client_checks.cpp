#include "eventstore/store/detail/client_checks.hpp"

#include <limits>

#include "eventstore/core/input_check.hpp"

namespace eventstore::detail {

Result<void> check_expected_version(ExpectedVersion expected) {
  auto problem = core::check_expected_version(expected.value());
  if (!problem) return {};
  return std::unexpected(
      Error{ErrorCode::invalid_expected_version,
            std::string{core::describe(*problem)} + (expected.value() == std::numeric_limits<std::int64_t>::min()
                                                         ? ", got ExpectedVersion::exactly() of a version below -1"
                                                         : ", got " + std::to_string(expected.value()))});
}

Result<void> check_max_count(std::int32_t max_count) {
  if (max_count >= 1) return {};
  return std::unexpected(
      Error{ErrorCode::invalid_argument, "max_count must be at least 1, got " + std::to_string(max_count)});
}

Result<void> check_event_type_filter(const std::vector<std::string>& event_types) {
  for (std::size_t i = 0; i < event_types.size(); ++i)
    if (auto problem = core::check_event_type(event_types[i]))
      return std::unexpected(
          Error{ErrorCode::invalid_event_type,
                std::string{core::describe(*problem)} + " (event type filter " + std::to_string(i + 1) + ")"});
  return {};
}

Result<void> check_event_type(std::string_view event_type) {
  if (auto problem = core::check_event_type(event_type))
    return std::unexpected(Error{ErrorCode::invalid_event_type, std::string{core::describe(*problem)}});
  return {};
}

Result<void> check_category_bytes(std::string_view category) {
  auto problem = core::check_stream_name(category);
  if (!problem || *problem == core::InputProblem::stream_name_empty) return {};
  return std::unexpected(
      Error{ErrorCode::invalid_argument, "category must be at most 255 bytes of UTF-8 without control characters"});
}

Result<void> check_correlation_id(std::string_view correlation_id) {
  auto problem = core::check_stream_name(correlation_id);
  if (!problem || *problem == core::InputProblem::stream_name_empty) return {};
  return std::unexpected(Error{ErrorCode::invalid_argument,
                               "correlation_id must be at most 255 bytes of UTF-8 without control characters"});
}

}  // namespace eventstore::detail
