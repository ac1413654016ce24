// The outcome of QueryBus::ask: the answer, or "not modified" when the
// caller's If-None-Match already names the current answer's ETag (an HTTP
// layer replies 304 with etag() and cache_control(), and no body).
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

#include "eventstore/queries/query_answer.hpp"

namespace eventstore {

template <class T>
class QueryOutcome {
 public:
  [[nodiscard]] static QueryOutcome modified(QueryAnswer<T> answer) {
    QueryOutcome outcome{answer.position, answer.cache_policy};
    outcome.answer_ = std::move(answer);
    return outcome;
  }
  [[nodiscard]] static QueryOutcome unchanged(LogPosition position, CacheControlPolicy cache_policy) {
    return QueryOutcome{position, cache_policy};
  }

  // The caller has the current answer already (its If-None-Match names it):
  // there is no answer() to give.
  [[nodiscard]] bool not_modified() const noexcept { return !answer_.has_value(); }

  // The answer; only when !not_modified().
  [[nodiscard]] const QueryAnswer<T>& answer() const& {
    assert(answer_);
    return *answer_;
  }
  [[nodiscard]] QueryAnswer<T>&& answer() && {
    assert(answer_);
    return std::move(*answer_);
  }
  // The answer's value; only when !not_modified().
  [[nodiscard]] const T& value() const& { return answer().value; }

  // The position of the current answer, sent or not.
  [[nodiscard]] LogPosition position() const noexcept { return position_; }
  [[nodiscard]] std::string etag() const { return etag_for(position_); }
  [[nodiscard]] std::string cache_control() const { return cache_policy_.header_value(); }

 private:
  QueryOutcome(LogPosition position, CacheControlPolicy cache_policy)
      : position_(position), cache_policy_(cache_policy) {}

  std::optional<QueryAnswer<T>> answer_;
  LogPosition position_;
  CacheControlPolicy cache_policy_;
};

}  // namespace eventstore
