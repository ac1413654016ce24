#include "eventstore/core/error_texts.hpp"

#include <charconv>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "eventstore/core/expected_version.hpp"
#include "eventstore/core/utf8.hpp"

namespace eventstore::core {
namespace {

// printf into an ErrorText; a text too long for it is cut before the last
// whole character that fits, so that it stays valid UTF-8. The compiler checks
// each pattern against its arguments.
ErrorText format(const char* pattern, ...) noexcept __attribute__((format(printf, 1, 2)));
ErrorText format(const char* pattern, ...) noexcept {
  ErrorText out;
  std::va_list arguments;
  va_start(arguments, pattern);
  int length = std::vsnprintf(out.text, ErrorText::capacity, pattern, arguments);
  va_end(arguments);
  if (length < 0) {
    out.text[0] = '\0';
  } else if (static_cast<std::size_t>(length) >= ErrorText::capacity) {
    std::string_view kept(out.text, ErrorText::capacity - 1);
    std::size_t last = kept.size() - 1;
    while (last > 0 && (static_cast<unsigned char>(kept[last]) & 0xC0) == 0x80) --last;
    if (decode_utf8(kept, last).length == 0) out.text[last] = '\0';
  }
  return out;
}

long long as_long_long(std::int64_t value) noexcept { return static_cast<long long>(value); }

constexpr std::string_view actual_version_label = "actual version: ";

}  // namespace

EchoedText echoed(std::string_view input) noexcept {
  EchoedText out;
  std::size_t kept = input.size();
  if (kept > echo_limit) {
    kept = echo_limit;
    while (kept > 0 && (static_cast<unsigned char>(input[kept]) & 0xC0) == 0x80) --kept;
  }
  std::memcpy(out.text, input.data(), kept);
  std::size_t end = kept;
  if (kept < input.size()) {
    std::memcpy(out.text + end, "...", 3);
    end += 3;
  }
  out.text[end] = '\0';
  return out;
}

ErrorText wrong_expected_version_message(std::string_view stream, std::int64_t expected, std::int64_t actual) noexcept {
  const char* pattern = "wrong expected version for stream \"%s\": expected %s, actual version %lld";
  switch (expected) {
    case expected_no_stream: return format(pattern, echoed(stream).text, "no stream", as_long_long(actual));
    case expected_stream_exists:
      return format(pattern, echoed(stream).text, "an existing stream", as_long_long(actual));
    default:
      return format("wrong expected version for stream \"%s\": expected version %lld, actual version %lld",
                    echoed(stream).text, as_long_long(expected), as_long_long(actual));
  }
}

ErrorText actual_version_detail(std::int64_t actual) noexcept {
  return format("%s%lld", actual_version_label.data(), as_long_long(actual));
}

std::optional<std::int64_t> parse_actual_version(std::string_view detail) noexcept {
  std::size_t start = detail.find(actual_version_label);
  if (start == std::string_view::npos) return std::nullopt;
  std::string_view number = detail.substr(start + actual_version_label.size());
  std::int64_t version = 0;
  auto [end, problem] = std::from_chars(number.data(), number.data() + number.size(), version);
  if (problem != std::errc{} || end == number.data()) return std::nullopt;
  // The number ends the line: "actual version: 12abc" is not version 12.
  if (end != number.data() + number.size() && *end != '\n') return std::nullopt;
  return version;
}

ErrorText event_id_reused_message(std::string_view event_id) noexcept {
  return format("event id %s is already used by another event", echoed(event_id).text);
}

ErrorText event_id_reused_detail(std::string_view stream) noexcept {
  return format(
      "An append to stream \"%s\" is repeated only when every event has the same id, stream, order, "
      "type, data and metadata as before.",
      echoed(stream).text);
}

ErrorText stream_tombstoned_message(std::string_view stream) noexcept {
  return format("stream \"%s\" is deleted for good (tombstoned)", echoed(stream).text);
}

ErrorText event_too_large_message(std::int64_t event_number, std::string_view stream, std::int64_t size,
                                  std::int64_t limit) noexcept {
  return format("event %lld of stream \"%s\" is too large: %lld bytes of data and metadata, the limit is %lld",
                as_long_long(event_number), echoed(stream).text, as_long_long(size), as_long_long(limit));
}

ErrorText too_many_events_message(std::int64_t limit, std::int64_t count, std::string_view stream) noexcept {
  return format("an append may write at most %lld events, got %lld for stream \"%s\"", as_long_long(limit),
                as_long_long(count), echoed(stream).text);
}

ErrorText too_many_events_in_append_multi_message(std::int64_t limit, std::int64_t count) noexcept {
  return format("an append may write at most %lld events, got %lld", as_long_long(limit), as_long_long(count));
}

ErrorText no_events_message(std::string_view stream) noexcept {
  return format("an append to stream \"%s\" needs at least one event", echoed(stream).text);
}

ErrorText duplicate_event_id_message(std::string_view event_id) noexcept {
  return format("event id %s appears more than once in one append", echoed(event_id).text);
}

ErrorText below_minimum_message(std::string_view argument, std::int64_t minimum, std::int64_t got) noexcept {
  return format("%s must be at least %lld, got %lld", echoed(argument).text, as_long_long(minimum), as_long_long(got));
}

ErrorText category_with_dash_message(std::string_view category) noexcept {
  return format("category \"%s\" contains '-'; a category is the part of a stream name before its first '-'",
                echoed(category).text);
}

ErrorText consumer_group_member_message(std::int64_t member, std::int64_t size) noexcept {
  return format(
      "consumer_group_member must be in 0 .. consumer_group_size - 1 and the size at least 1, got member "
      "%lld of %lld",
      as_long_long(member), as_long_long(size));
}

ErrorText snapshot_too_large_message(std::string_view stream, std::int64_t size, std::int64_t limit) noexcept {
  return format(
      "the snapshot of stream \"%s\" is too large: %lld bytes, the limit (eventstore.max_snapshot_size) "
      "is %lld",
      echoed(stream).text, as_long_long(size), as_long_long(limit));
}

ErrorText no_events_to_snapshot_message(std::string_view stream) noexcept {
  return format("stream \"%s\" has no events to snapshot", echoed(stream).text);
}

ErrorText no_version_to_snapshot_message(std::string_view stream, std::int64_t version, std::int64_t first_version,
                                         std::int64_t last_version) noexcept {
  return format("stream \"%s\" has no version %lld to snapshot (its versions are %lld to %lld)", echoed(stream).text,
                as_long_long(version), as_long_long(first_version), as_long_long(last_version));
}

ErrorText log_order_conflict_message(std::string_view stream) noexcept {
  return format("append to stream \"%s\" would come before the stream's last event in the global log",
                echoed(stream).text);
}

ErrorText stream_not_found_message(std::string_view stream) noexcept {
  return format("stream \"%s\" does not exist", echoed(stream).text);
}

}  // namespace eventstore::core
