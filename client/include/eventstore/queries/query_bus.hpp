// The query side of CQRS: sends each query to the one handler registered for
// its type, through the middleware, and gives back the answer with the
// position of the read model it reflects.
//
//   struct GetOrder {
//     using Answer = OrderView;  // what the query returns
//     std::string order_id;
//   };
//
//   eventstore::QueryBus bus;
//   bus.use(eventstore::query_metrics_middleware(metrics));
//   bus.handle<GetOrder>([&](const GetOrder& query) { return order_views.answer(query.order_id); },
//                        {.cache_control = {.max_age = std::chrono::seconds{30}}});
//   auto outcome = bus.ask(GetOrder{"42"}, {.min_position = token, .if_none_match = request.header("If-None-Match")});
//   if (!outcome) reply(outcome.error());
//   else if (outcome->not_modified()) reply_304(outcome->etag(), outcome->cache_control());
//   else reply_200(outcome->value(), outcome->etag(), outcome->cache_control());
//
// A handler takes the query, or the query and the QueryOptions of the call,
// and returns Result<QueryAnswer<Answer>> (store errors), QueryResult<...>
// (e.g. QueryError::not_found) or a QueryAnswer<Answer>. Register handlers
// and middleware before asking; ask() may then be called from any number of
// threads, and handlers must allow it.
#pragma once

#include <any>
#include <chrono>
#include <functional>
#include <string>
#include <type_traits>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "eventstore/framework/type_name.hpp"
#include "eventstore/queries/query_answer.hpp"
#include "eventstore/queries/query_error.hpp"
#include "eventstore/queries/query_middleware.hpp"
#include "eventstore/queries/query_options.hpp"
#include "eventstore/queries/query_outcome.hpp"
#include "eventstore/store/result.hpp"

namespace eventstore {

// The type a query answers with: Query::Answer. Specialise it for a query
// type you cannot change.
template <class Query>
struct QueryAnswerType {
  using type = typename Query::Answer;
};

template <class Query>
using QueryAnswerOf = typename QueryAnswerType<Query>::type;

// The name of a query type in logs and metrics: Query::query_type if it has
// one, else the C++ name without namespaces.
template <class Query>
[[nodiscard]] std::string query_type_name() {
  if constexpr (requires { Query::query_type; })
    return std::string{Query::query_type};
  else
    return unqualified_type_name(typeid(Query));
}

namespace detail {
template <class Handler, class Query>
decltype(auto) call_query_handler(Handler& handler, const Query& query, const QueryOptions& options) {
  if constexpr (std::is_invocable_v<Handler&, const Query&, const QueryOptions&>)
    return std::invoke(handler, query, options);
  else
    return std::invoke(handler, query);
}

template <class Handler, class Query>
concept QueryHandlerOf =
    std::is_invocable_v<Handler&, const Query&, const QueryOptions&> || std::is_invocable_v<Handler&, const Query&>;
}  // namespace detail

class QueryBus final : private detail::QueryChain {
 public:
  QueryBus() = default;
  QueryBus(const QueryBus&) = delete;
  QueryBus& operator=(const QueryBus&) = delete;

  // Registers the handler of `Query`; a second registration replaces the first.
  template <class Query, detail::QueryHandlerOf<Query> Handler>
  void handle(Handler handler, QueryHandlerOptions options = {}) {
    using Answer = QueryAnswerOf<Query>;
    using Returned = std::remove_cvref_t<decltype(detail::call_query_handler(handler, std::declval<const Query&>(),
                                                                             std::declval<const QueryOptions&>()))>;
    static_assert(std::is_same_v<Returned, Result<QueryAnswer<Answer>>> ||
                      std::is_same_v<Returned, QueryResult<QueryAnswer<Answer>>> ||
                      std::is_same_v<Returned, QueryAnswer<Answer>>,
                  "a query handler returns Result<QueryAnswer<Answer>>, QueryResult<QueryAnswer<Answer>> or "
                  "QueryAnswer<Answer>, Answer being the query's answer type");
    HandlerEntry entry;
    entry.options = options;
    entry.execute = [handler = std::move(handler)](
                        const void* query, const QueryOptions& call_options) mutable -> QueryResult<AnyQueryAnswer> {
      Returned returned = detail::call_query_handler(handler, *static_cast<const Query*>(query), call_options);
      if constexpr (std::is_same_v<Returned, QueryAnswer<Answer>>) {
        return AnyQueryAnswer{std::any{std::move(returned.value)}, returned.position};
      } else {
        if (!returned) {
          if constexpr (std::is_same_v<Returned, Result<QueryAnswer<Answer>>>)
            return std::unexpected(QueryError::read_failed(std::move(returned.error())));
          else
            return std::unexpected(std::move(returned.error()));
        }
        return AnyQueryAnswer{std::any{std::move(returned->value)}, returned->position};
      }
    };
    handlers_.insert_or_assign(std::type_index{typeid(Query)}, std::move(entry));
  }

  // Adds a middleware inside the ones added before it.
  void use(QueryMiddleware middleware);

  template <class Query>
  [[nodiscard]] bool handles() const {
    return handlers_.contains(std::type_index{typeid(Query)});
  }

  // Answers `query` through the middleware: never with a position older than
  // options.min_position, not_modified() when options.if_none_match names
  // the answer's ETag.
  template <class Query>
  [[nodiscard]] QueryResult<QueryOutcome<QueryAnswerOf<Query>>> ask(const Query& query,
                                                                    QueryOptions options = {}) const {
    using Answer = QueryAnswerOf<Query>;
    QueryInvocation invocation{query_type_name<Query>(), std::type_index{typeid(Query)}, &query, options};
    QueryResult<AnyQueryAnswer> result = run_from(0, invocation);
    if (!result) return std::unexpected(std::move(result.error()));
    // A middleware that answered with an older position would break the caller's token.
    if (result->position < options.min_position)
      return std::unexpected(QueryError::stale_read(invocation.query_type, result->position, options.min_position));
    CacheControlPolicy policy = cache_policy_of(invocation.type);
    if (etag_matches(options.if_none_match, etag_for(result->position)))
      return QueryOutcome<Answer>::unchanged(result->position, policy);
    Answer* value = std::any_cast<Answer>(&result->value);
    if (value == nullptr) return std::unexpected(QueryError::invalid_answer(invocation.query_type));
    return QueryOutcome<Answer>::modified(
        QueryAnswer<Answer>{std::move(*value), result->position, policy, result->from_cache});
  }

 private:
  struct HandlerEntry {
    QueryHandlerOptions options;
    std::function<QueryResult<AnyQueryAnswer>(const void*, const QueryOptions&)> execute;
  };

  [[nodiscard]] QueryResult<AnyQueryAnswer> run_from(std::size_t step, QueryInvocation& invocation) const override;
  [[nodiscard]] QueryResult<AnyQueryAnswer> execute_handler(QueryInvocation& invocation) const;
  [[nodiscard]] CacheControlPolicy cache_policy_of(std::type_index type) const;

  std::unordered_map<std::type_index, HandlerEntry> handlers_;
  std::vector<QueryMiddleware> middleware_;
};

}  // namespace eventstore
