// Middleware wraps every query the bus asks: metrics, tracing, caching, or
// anything of your own. Each one gets the query (as a QueryInvocation) and
// `next`, the rest of the chain, which it calls zero times (to answer by
// itself, e.g. from a cache), once, or more.
//
//   bus.use([](eventstore::QueryInvocation& query, const eventstore::NextQueryStep& next) {
//     auto started = std::chrono::steady_clock::now();
//     auto answer = next();
//     record(query.query_type, std::chrono::steady_clock::now() - started);
//     return answer;
//   });
//
// Middleware runs in the order it was added: the first one added is the
// outermost. The innermost step runs the handler (again while its answer is
// older than the caller's min_position, up to position_wait).
#pragma once

#include <any>
#include <cstddef>
#include <functional>
#include <string>
#include <typeindex>

#include "eventstore/queries/query_error.hpp"
#include "eventstore/queries/query_options.hpp"
#include "eventstore/store/log_position.hpp"

namespace eventstore {

// One query on its way through the bus.
struct QueryInvocation {
  // The query's name for logs and metrics: Query::query_type when the type
  // has one, else its C++ name without namespaces ("GetOrder").
  std::string query_type;
  std::type_index type;
  // The query itself, of `type`.
  const void* query;
  // The caller's options; middleware may change them (the tracing middleware
  // puts its span's traceparent here, for the handler).
  QueryOptions options;

  // The query as `Query`; null when it is of another type.
  template <class Query>
  [[nodiscard]] const Query* query_as() const noexcept {
    return type == std::type_index{typeid(Query)} ? static_cast<const Query*>(query) : nullptr;
  }
};

// An answer inside the chain, of any type: `value` holds the query's answer
// type (QueryAnswerOf<Query>), which the bus takes out again.
struct AnyQueryAnswer {
  std::any value;
  LogPosition position{};
  bool from_cache = false;
};

namespace detail {
// The steps of a bus's chain, from a given middleware inwards.
class QueryChain {
 public:
  [[nodiscard]] virtual QueryResult<AnyQueryAnswer> run_from(std::size_t step, QueryInvocation& invocation) const = 0;

 protected:
  ~QueryChain() = default;
};
}  // namespace detail

// The rest of the chain, as a middleware sees it.
class NextQueryStep {
 public:
  NextQueryStep(const detail::QueryChain& chain, std::size_t step, QueryInvocation& invocation) noexcept
      : chain_(&chain), step_(step), invocation_(&invocation) {}

  // Runs the inner middleware and the handler; may be called again.
  [[nodiscard]] QueryResult<AnyQueryAnswer> operator()() const { return chain_->run_from(step_, *invocation_); }

 private:
  const detail::QueryChain* chain_;
  std::size_t step_;
  QueryInvocation* invocation_;
};

using QueryMiddleware = std::function<QueryResult<AnyQueryAnswer>(QueryInvocation&, const NextQueryStep&)>;

}  // namespace eventstore
