// Errors are values: every failure of the client is an Error with one
// ErrorCode per case, the server's SQLSTATE when the server found it, and
// whether trying again may help.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "eventstore/store/stream_version.hpp"

namespace eventstore {

enum class ErrorCode {
  wrong_expected_version,    // 23V01; actual_version() says what the stream is at
  invalid_stream_name,       // 22V01
  invalid_event_type,        // 22V02
  invalid_expected_version,  // 22V03
  event_too_large,           // 22V04
  too_many_events,           // 22V05
  no_events,                 // 22V06
  duplicate_event_id,        // 22V07: one id twice in one append
  invalid_argument,          // 22V08, 22V09, 22023, and bad arguments found by the client
  event_id_reused,           // 23V02, 23505: the id belongs to another event
  null_value,                // 22004
  invalid_json,              // 22P02, 22P05, 22021, 2203x, 22003, 54001
  store_not_usable,          // 55V01; 42883 and 3F000 when the extension is not installed
  serialization_conflict,    // 40001, 40P01 (retryable)
  connection_lost,           // class 08 or a broken connection (retryable)
  timeout,                   // 57014 (retryable)
  server_shutdown,           // 57P01, 57P02, 57P03 (retryable)
  out_of_memory,             // class 53
  internal,                  // class XX, or a reply the client cannot understand
  server_error,              // any other SQLSTATE
  pool_exhausted,            // no pooled connection became free in time (retryable)
  circuit_open,              // a circuit breaker refused the call without trying it (retryable)
  bulkhead_full,             // a bulkhead had no room for the call (retryable)
  stream_deleted,            // 23V03: the stream is tombstoned; no call on it will ever succeed
  invalid_snapshot,          // 22V10: a version the stream does not show, keep < 1, a state too large
  stream_not_found,          // 42704: a lifecycle call on a stream that never existed
  invalid_checkpoint,        // 22V11: a checkpoint of another store, or beyond the end of the log
  read_only,                 // 25006: a writing call in a read-only transaction or on a standby
  lease_lost,                // 55V04: a subscription member no longer holds the partition it wrote for
  subscription_not_found,    // 42V01: an operator command on a subscription that does not exist
};

// The enumerator's name, e.g. "wrong_expected_version".
[[nodiscard]] std::string_view to_string(ErrorCode code) noexcept;

// The code for a SQLSTATE the server sent.
[[nodiscard]] ErrorCode error_code_for_sqlstate(std::string_view sqlstate) noexcept;

// Whether the same call may succeed if made again (after a reconnect, which
// the client does by itself on the next call).
[[nodiscard]] bool is_retryable(ErrorCode code) noexcept;

// The N of a detail line "actual version: N", as the server writes it for 23V01.
[[nodiscard]] std::optional<StreamVersion> parse_actual_version(std::string_view detail) noexcept;

class Error {
 public:
  // An error found by the client: `sqlstate` stays empty.
  Error(ErrorCode code, std::string message);
  // An error the server reported; the code follows from `sqlstate`.
  [[nodiscard]] static Error from_server(std::string sqlstate, std::string message, std::string detail = {},
                                         std::string hint = {});
  // A server error with a code chosen by the client (a lost connection keeps
  // the SQLSTATE of the message that announced it, e.g. 57P01).
  Error(ErrorCode code, std::string sqlstate, std::string message, std::string detail, std::string hint);

  [[nodiscard]] ErrorCode code() const noexcept { return code_; }
  // Five characters from the server, or empty when the client found the error.
  [[nodiscard]] const std::string& sqlstate() const noexcept { return sqlstate_; }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }
  [[nodiscard]] const std::string& detail() const noexcept { return detail_; }
  [[nodiscard]] const std::string& hint() const noexcept { return hint_; }
  // For wrong_expected_version: the version the stream was at.
  [[nodiscard]] std::optional<StreamVersion> actual_version() const noexcept;
  [[nodiscard]] bool retryable() const noexcept { return is_retryable(code_); }
  // One line for logs: "wrong_expected_version [23V01]: message (detail)".
  [[nodiscard]] std::string describe() const;

 private:
  ErrorCode code_;
  std::string sqlstate_;
  std::string message_;
  std::string detail_;
  std::string hint_;
};

}  // namespace eventstore
