#include "eventstore/queries/query_error.hpp"

#include <utility>

namespace eventstore {
namespace {

std::string position_text(LogPosition position) {
  return std::to_string(position.transaction_id) + "/" + std::to_string(position.position.value());
}

}  // namespace

std::string_view to_string(QueryErrorKind kind) noexcept {
  switch (kind) {
    case QueryErrorKind::no_handler: return "no_handler";
    case QueryErrorKind::not_found: return "not_found";
    case QueryErrorKind::stale_read: return "stale_read";
    case QueryErrorKind::read_failed: return "read_failed";
    case QueryErrorKind::invalid_answer: return "invalid_answer";
  }
  return "unknown";
}

QueryError QueryError::no_handler(std::string_view query_type) {
  return QueryError{QueryErrorKind::no_handler,
                    "no handler is registered for queries of type " + std::string{query_type}};
}

QueryError QueryError::not_found(std::string message) {
  return QueryError{QueryErrorKind::not_found, std::move(message)};
}

QueryError QueryError::stale_read(std::string_view query_type, LogPosition answered, LogPosition min_position) {
  QueryError error{QueryErrorKind::stale_read, std::string{query_type} + ": the read model is at " +
                                                   position_text(answered) + ", the caller asked for " +
                                                   position_text(min_position)};
  error.answered_position_ = answered;
  error.min_position_ = min_position;
  return error;
}

QueryError QueryError::read_failed(Error error) {
  QueryError query_error{QueryErrorKind::read_failed, error.describe()};
  query_error.read_error_ = std::move(error);
  return query_error;
}

QueryError QueryError::invalid_answer(std::string_view query_type) {
  return QueryError{QueryErrorKind::invalid_answer, "a middleware answered a query of type " + std::string{query_type} +
                                                        " with a value of another type"};
}

bool QueryError::retryable() const noexcept {
  if (kind_ == QueryErrorKind::stale_read) return true;
  return kind_ == QueryErrorKind::read_failed && read_error_ && read_error_->retryable();
}

std::string QueryError::describe() const {
  std::string line{to_string(kind_)};
  line += ": ";
  line += message_;
  return line;
}

}  // namespace eventstore
