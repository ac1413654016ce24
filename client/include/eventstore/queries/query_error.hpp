// Why a query was not answered. One of:
//
// - no_handler: the bus has no handler for the query's type;
// - not_found: the handler found nothing to answer with (an order that does
//   not exist); an HTTP layer answers 404;
// - stale_read: the read model stayed older than the caller's min_position
//   (its read-your-writes token) for longer than the caller's position_wait;
//   asking again later may succeed;
// - read_failed: the read model, the store or the cache failed, with its
//   Error (retryable() as the store says);
// - invalid_answer: a middleware answered with a value of another type than
//   the query's answer type (a bug in that middleware).
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "eventstore/store/error.hpp"
#include "eventstore/store/log_position.hpp"

namespace eventstore {

enum class QueryErrorKind {
  no_handler,
  not_found,
  stale_read,
  read_failed,
  invalid_answer,
};

// The enumerator's name, e.g. "stale_read".
[[nodiscard]] std::string_view to_string(QueryErrorKind kind) noexcept;

class QueryError {
 public:
  [[nodiscard]] static QueryError no_handler(std::string_view query_type);
  [[nodiscard]] static QueryError not_found(std::string message);
  [[nodiscard]] static QueryError stale_read(std::string_view query_type, LogPosition answered,
                                             LogPosition min_position);
  [[nodiscard]] static QueryError read_failed(Error error);
  [[nodiscard]] static QueryError invalid_answer(std::string_view query_type);

  [[nodiscard]] QueryErrorKind kind() const noexcept { return kind_; }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }
  // For read_failed: what failed.
  [[nodiscard]] const std::optional<Error>& read_error() const noexcept { return read_error_; }
  // For stale_read: the newest position the read model reached, and the one asked for.
  [[nodiscard]] LogPosition answered_position() const noexcept { return answered_position_; }
  [[nodiscard]] LogPosition min_position() const noexcept { return min_position_; }
  // Whether asking again may succeed: stale reads, and read errors the store calls retryable.
  [[nodiscard]] bool retryable() const noexcept;
  // One line for logs: "stale_read: GetOrder: the read model is at 7/15, the caller asked for 7/16".
  [[nodiscard]] std::string describe() const;

 private:
  QueryError(QueryErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

  QueryErrorKind kind_;
  std::string message_;
  std::optional<Error> read_error_;
  LogPosition answered_position_{};
  LogPosition min_position_{};
};

// The return type of everything on the query side that can fail.
template <class T>
using QueryResult = std::expected<T, QueryError>;

}  // namespace eventstore
