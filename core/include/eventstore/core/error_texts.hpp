// The words of the server's errors, once: the extension raises them, the
// in-memory store reproduces them, and the client reads the actual version
// back out of the detail of 23V01. Each function builds one message, detail
// or hint from its arguments.
//
// An ErrorText is plain storage with a trivial destructor, so the extension
// may hold one while it raises the error. Input a message quotes (a stream
// name, a category, an event id) is cut to its first echo_limit bytes, before
// a character, and marked with "...": a message never carries unbounded input
// into the client or the server log.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace eventstore::core {

inline constexpr std::size_t echo_limit = 64;

// Input as a message quotes it: at most echo_limit bytes, cut before a
// character, with "..." when cut.
struct EchoedText {
  char text[echo_limit + 4];
};
[[nodiscard]] EchoedText echoed(std::string_view input) noexcept;

struct ErrorText {
  static constexpr std::size_t capacity = 1024;
  char text[capacity];

  [[nodiscard]] const char* c_str() const noexcept { return text; }
  [[nodiscard]] std::string_view view() const noexcept { return text; }
  [[nodiscard]] std::string str() const { return std::string{text}; }
};

// 23V01 wrong_expected_version. The detail is the line clients parse.
[[nodiscard]] ErrorText wrong_expected_version_message(std::string_view stream, std::int64_t expected,
                                                       std::int64_t actual) noexcept;
[[nodiscard]] ErrorText actual_version_detail(std::int64_t actual) noexcept;
// The version in a detail written by actual_version_detail; nothing when there is none.
[[nodiscard]] std::optional<std::int64_t> parse_actual_version(std::string_view detail) noexcept;

// 23V02 event_id_reused.
[[nodiscard]] ErrorText event_id_reused_message(std::string_view event_id) noexcept;
[[nodiscard]] ErrorText event_id_reused_detail(std::string_view stream) noexcept;

// 23V03 stream_deleted.
[[nodiscard]] ErrorText stream_tombstoned_message(std::string_view stream) noexcept;
inline constexpr char stream_tombstoned_hint[] =
    "A hard-deleted stream can neither be read nor appended to again; use another name.";

// 22V04 event_too_large; `event_number` counts from 1.
[[nodiscard]] ErrorText event_too_large_message(std::int64_t event_number, std::string_view stream, std::int64_t size,
                                                std::int64_t limit) noexcept;
inline constexpr char event_too_large_hint[] = "Raise eventstore.max_event_size, or store large payloads elsewhere.";

// 22V05 too_many_events, for one stream's events and for all of an append_multi.
[[nodiscard]] ErrorText too_many_events_message(std::int64_t limit, std::int64_t count,
                                                std::string_view stream) noexcept;
[[nodiscard]] ErrorText too_many_events_in_append_multi_message(std::int64_t limit, std::int64_t count) noexcept;
inline constexpr char too_many_events_hint[] = "Split the append, or raise eventstore.max_append_events.";

// 22V06 no_events.
[[nodiscard]] ErrorText no_events_message(std::string_view stream) noexcept;

// 22V07 duplicate_event_id.
[[nodiscard]] ErrorText duplicate_event_id_message(std::string_view event_id) noexcept;

// An argument below its least value: 22V08 for reads, 22V10 for keep, 22023
// for lifecycle calls ("max_count must be at least 1, got 0").
[[nodiscard]] ErrorText below_minimum_message(std::string_view argument, std::int64_t minimum,
                                              std::int64_t got) noexcept;

// 22V08 invalid_read_argument of read_category.
inline constexpr char empty_category_message[] = "category must not be empty";
[[nodiscard]] ErrorText category_with_dash_message(std::string_view category) noexcept;
[[nodiscard]] ErrorText consumer_group_member_message(std::int64_t member, std::int64_t size) noexcept;

// 22V10 invalid_snapshot of save_snapshot.
[[nodiscard]] ErrorText snapshot_too_large_message(std::string_view stream, std::int64_t size,
                                                   std::int64_t limit) noexcept;
[[nodiscard]] ErrorText no_events_to_snapshot_message(std::string_view stream) noexcept;
[[nodiscard]] ErrorText no_version_to_snapshot_message(std::string_view stream, std::int64_t version,
                                                       std::int64_t first_version, std::int64_t last_version) noexcept;

// 40001 serialization_failure: an append whose events would come before the
// stream's last event in the global log.
[[nodiscard]] ErrorText log_order_conflict_message(std::string_view stream) noexcept;
inline constexpr char log_order_conflict_hint[] =
    "Retry the transaction; appending to all its streams in one append_multi call avoids this.";

// 42704 undefined_object: a lifecycle call on a stream that never existed.
[[nodiscard]] ErrorText stream_not_found_message(std::string_view stream) noexcept;
// 22023 invalid_parameter_value of set_stream_limits.
inline constexpr char max_age_not_positive_message[] = "max_age must be longer than zero";

}  // namespace eventstore::core
