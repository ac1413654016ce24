// Validation rules shared by the extension and the client library: both sides
// reject the same stream names, event types and expected versions, with the
// same words. Pure C++: no PostgreSQL headers, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace eventstore::core {

enum class InputProblem {
  stream_name_empty,
  stream_name_too_long,
  stream_name_control_character,
  stream_name_invalid_utf8,
  stream_name_invisible_character,
  stream_name_empty_category,  // begins with '-'
  event_type_empty,
  event_type_too_long,
  event_type_control_character,
  event_type_invalid_utf8,
  event_type_invisible_character,
  expected_version_invalid,
};

// Longest stream name and event type, in bytes.
inline constexpr std::size_t max_name_bytes = 255;

// A short sentence saying what is wrong, for the error message.
[[nodiscard]] const char* describe(InputProblem problem) noexcept;

[[nodiscard]] std::optional<InputProblem> check_stream_name(std::string_view name) noexcept;
[[nodiscard]] std::optional<InputProblem> check_event_type(std::string_view type) noexcept;
[[nodiscard]] std::optional<InputProblem> check_expected_version(std::int64_t expected) noexcept;

// The category of a stream: its name up to the first '-', or the whole name.
[[nodiscard]] std::string_view category_of(std::string_view stream_name) noexcept;

}  // namespace eventstore::core
