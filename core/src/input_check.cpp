#include "eventstore/core/input_check.hpp"

#include "eventstore/core/expected_version.hpp"
#include "eventstore/core/utf8.hpp"

namespace eventstore::core {
namespace {

enum class NameFault { none, empty, too_long, control_character, invalid_utf8, invisible_character };

// Characters that show nothing or turn the text around them (zero-width
// spaces and joiners, line and paragraph separators, bidirectional controls,
// the byte-order mark): two names that look the same, or a name that reads
// reversed in a log or a console, are a hazard.
bool is_invisible(char32_t c) noexcept {
  return (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

// Names travel in logs, URLs and terminals: no control characters (C0, DEL,
// C1), no invisible ones, and well-formed UTF-8 only.
NameFault check_name(std::string_view name) noexcept {
  if (name.empty()) return NameFault::empty;
  if (name.size() > max_name_bytes) return NameFault::too_long;
  for (std::size_t i = 0; i < name.size();) {
    Utf8Character character = decode_utf8(name, i);
    if (character.length == 0) return NameFault::invalid_utf8;
    char32_t code_point = character.code_point;
    if (code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F)) return NameFault::control_character;
    if (is_invisible(code_point)) return NameFault::invisible_character;
    i += character.length;
  }
  return NameFault::none;
}

}  // namespace

const char* describe(InputProblem problem) noexcept {
  switch (problem) {
    case InputProblem::stream_name_empty: return "stream name must not be empty";
    case InputProblem::stream_name_too_long: return "stream name is longer than 255 bytes";
    case InputProblem::stream_name_control_character: return "stream name contains a control character";
    case InputProblem::stream_name_invalid_utf8: return "stream name is not valid UTF-8";
    case InputProblem::stream_name_invisible_character:
      return "stream name contains an invisible or direction-changing character";
    case InputProblem::stream_name_empty_category:
      return "stream name must not begin with '-' (its category, the part before the first '-', would be empty)";
    case InputProblem::event_type_empty: return "event type must not be empty";
    case InputProblem::event_type_too_long: return "event type is longer than 255 bytes";
    case InputProblem::event_type_control_character: return "event type contains a control character";
    case InputProblem::event_type_invalid_utf8: return "event type is not valid UTF-8";
    case InputProblem::event_type_invisible_character:
      return "event type contains an invisible or direction-changing character";
    case InputProblem::expected_version_invalid:
      return "expected version must be a version >= 0, -1 (no stream), -2 (any) or -4 (stream exists)";
  }
  return "invalid input";
}

std::optional<InputProblem> check_stream_name(std::string_view name) noexcept {
  switch (check_name(name)) {
    case NameFault::none:
      if (name.front() == '-') return InputProblem::stream_name_empty_category;
      return std::nullopt;
    case NameFault::empty: return InputProblem::stream_name_empty;
    case NameFault::too_long: return InputProblem::stream_name_too_long;
    case NameFault::control_character: return InputProblem::stream_name_control_character;
    case NameFault::invalid_utf8: return InputProblem::stream_name_invalid_utf8;
    case NameFault::invisible_character: return InputProblem::stream_name_invisible_character;
  }
  return std::nullopt;
}

std::optional<InputProblem> check_event_type(std::string_view type) noexcept {
  switch (check_name(type)) {
    case NameFault::none: return std::nullopt;
    case NameFault::empty: return InputProblem::event_type_empty;
    case NameFault::too_long: return InputProblem::event_type_too_long;
    case NameFault::control_character: return InputProblem::event_type_control_character;
    case NameFault::invalid_utf8: return InputProblem::event_type_invalid_utf8;
    case NameFault::invisible_character: return InputProblem::event_type_invisible_character;
  }
  return std::nullopt;
}

std::optional<InputProblem> check_expected_version(std::int64_t expected) noexcept {
  if (expected >= 0 || expected == expected_no_stream || expected == expected_any || expected == expected_stream_exists)
    return std::nullopt;
  return InputProblem::expected_version_invalid;
}

std::string_view category_of(std::string_view stream_name) noexcept {
  return stream_name.substr(0, stream_name.find('-'));
}

}  // namespace eventstore::core
