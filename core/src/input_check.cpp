#include "eventstore/core/input_check.hpp"

#include "eventstore/core/expected_version.hpp"

namespace eventstore::core {
namespace {

enum class NameFault { none, empty, too_long, control_character, invalid_utf8 };

// Length of the UTF-8 sequence that starts with `lead`, or 0 if `lead` cannot start one.
std::size_t utf8_sequence_length(unsigned char lead) noexcept {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// Names travel in logs, URLs and terminals: no control characters (C0, DEL, C1)
// and well-formed UTF-8 only.
NameFault check_name(std::string_view name) noexcept {
  if (name.empty()) return NameFault::empty;
  if (name.size() > max_name_bytes) return NameFault::too_long;
  for (std::size_t i = 0; i < name.size();) {
    auto lead = static_cast<unsigned char>(name[i]);
    std::size_t length = utf8_sequence_length(lead);
    if (length == 0 || i + length > name.size()) return NameFault::invalid_utf8;
    std::uint32_t code_point = length == 1 ? lead : lead & (0xFF >> (length + 1));
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(name[i + k]);
      if ((next & 0xC0) != 0x80) return NameFault::invalid_utf8;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    bool overlong = (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
    bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    if (overlong || surrogate || code_point > 0x10FFFF) return NameFault::invalid_utf8;
    if (code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F)) return NameFault::control_character;
    i += length;
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
    case InputProblem::event_type_empty: return "event type must not be empty";
    case InputProblem::event_type_too_long: return "event type is longer than 255 bytes";
    case InputProblem::event_type_control_character: return "event type contains a control character";
    case InputProblem::event_type_invalid_utf8: return "event type is not valid UTF-8";
    case InputProblem::expected_version_invalid:
      return "expected version must be a version >= 0, -1 (no stream), -2 (any) or -4 (stream exists)";
  }
  return "invalid input";
}

std::optional<InputProblem> check_stream_name(std::string_view name) noexcept {
  switch (check_name(name)) {
    case NameFault::none: return std::nullopt;
    case NameFault::empty: return InputProblem::stream_name_empty;
    case NameFault::too_long: return InputProblem::stream_name_too_long;
    case NameFault::control_character: return InputProblem::stream_name_control_character;
    case NameFault::invalid_utf8: return InputProblem::stream_name_invalid_utf8;
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
  }
  return std::nullopt;
}

std::optional<InputProblem> check_expected_version(std::int64_t expected) noexcept {
  if (expected >= 0 || expected == expected_no_stream || expected == expected_any ||
      expected == expected_stream_exists)
    return std::nullopt;
  return InputProblem::expected_version_invalid;
}

std::string_view category_of(std::string_view stream_name) noexcept {
  return stream_name.substr(0, stream_name.find('-'));
}

}  // namespace eventstore::core
