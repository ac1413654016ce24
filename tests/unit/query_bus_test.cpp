// The query bus: typed answers with positions, errors as values, ETags and
// Cache-Control, the read-your-writes token, and its middleware (order,
// metrics, tracing).
#include "eventstore/queries/query_bus.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "eventstore/framework/trace_context.hpp"
#include "eventstore/queries/middleware/query_metrics_middleware.hpp"
#include "eventstore/queries/middleware/query_tracing_middleware.hpp"
#include "query_test_model.hpp"

namespace eventstore {
namespace {

using query_test::GetOrder;
using query_test::OrderView;
using query_test::OrderViews;
using query_test::position_at;

struct CountLines {
  using Answer = int;
  static constexpr const char* query_type = "count-lines";
};

struct Unhandled {
  using Answer = int;
};

class QueryBusTest : public ::testing::Test {
 protected:
  QueryBusTest() {
    bus.handle<GetOrder>([this](const GetOrder& query) { return views.answer(query.order_id); });
  }

  OrderViews views;
  QueryBus bus;
};

TEST_F(QueryBusTest, AnswersWithTheHandlersTypedValueAndPosition) {
  views.add_line("1");
  LogPosition token = views.add_line("1");
  auto outcome = bus.ask(GetOrder{"1"});
  ASSERT_TRUE(outcome) << outcome.error().describe();
  ASSERT_FALSE(outcome->not_modified());
  EXPECT_EQ(outcome->value(), (OrderView{"1", 2}));
  EXPECT_EQ(outcome->answer().position, token);
  EXPECT_EQ(outcome->etag(), "\"102-2\"");
  EXPECT_EQ(outcome->answer().etag(), "\"102-2\"");
  EXPECT_FALSE(outcome->answer().from_cache);
}

TEST_F(QueryBusTest, HandlersMayTakeTheOptionsAndReturnAPlainAnswer) {
  LogPosition seen;
  bus.handle<CountLines>([&](const CountLines&, const QueryOptions& options) {
    seen = options.min_position;
    return answer_at(position_at(9), 42);
  });
  auto outcome = bus.ask(CountLines{}, {.min_position = position_at(9)});
  ASSERT_TRUE(outcome) << outcome.error().describe();
  EXPECT_EQ(outcome->value(), 42);
  EXPECT_EQ(seen, position_at(9));
}

TEST_F(QueryBusTest, AQueryWithoutHandlerIsATypedError) {
  EXPECT_FALSE(bus.handles<Unhandled>());
  auto outcome = bus.ask(Unhandled{});
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().kind(), QueryErrorKind::no_handler);
  EXPECT_EQ(outcome.error().describe(), "no_handler: no handler is registered for queries of type Unhandled");
  EXPECT_FALSE(outcome.error().retryable());
}

TEST_F(QueryBusTest, NotFoundAndStoreErrorsAreTypedErrors) {
  auto missing = bus.ask(GetOrder{"nope"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind(), QueryErrorKind::not_found);

  bus.handle<CountLines>([](const CountLines&) -> Result<QueryAnswer<int>> {
    return std::unexpected(Error{ErrorCode::timeout, "statement timeout"});
  });
  auto failed = bus.ask(CountLines{});
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().kind(), QueryErrorKind::read_failed);
  ASSERT_TRUE(failed.error().read_error());
  EXPECT_EQ(failed.error().read_error()->code(), ErrorCode::timeout);
  EXPECT_TRUE(failed.error().retryable());
}

TEST_F(QueryBusTest, NotModifiedWhenIfNoneMatchNamesTheCurrentETag) {
  views.add_line("1");
  auto first = bus.ask(GetOrder{"1"});
  ASSERT_TRUE(first);
  const std::string etag = first->etag();

  for (const std::string& header : {etag, "W/" + etag, "\"other\", " + etag, std::string{"*"}}) {
    auto again = bus.ask(GetOrder{"1"}, {.if_none_match = header});
    ASSERT_TRUE(again) << header;
    EXPECT_TRUE(again->not_modified()) << header;
    EXPECT_EQ(again->etag(), etag);
    EXPECT_EQ(again->position(), first->answer().position);
  }

  // A write moves the read model: the old ETag no longer names the answer.
  views.add_line("1");
  auto changed = bus.ask(GetOrder{"1"}, {.if_none_match = etag});
  ASSERT_TRUE(changed);
  ASSERT_FALSE(changed->not_modified());
  EXPECT_NE(changed->etag(), etag);
  EXPECT_EQ(changed->value().lines, 2);
  EXPECT_FALSE(bus.ask(GetOrder{"1"}, {.if_none_match = "\"other\""})->not_modified());
}

TEST_F(QueryBusTest, CacheControlFollowsTheQueryTypesOptions) {
  views.add_line("1");
  EXPECT_EQ(bus.ask(GetOrder{"1"})->cache_control(), "private, no-cache");

  bus.handle<GetOrder>([this](const GetOrder& query) { return views.answer(query.order_id); },
                       {.cache_control = {.max_age = std::chrono::seconds{60}, .audience = CacheAudience::shared}});
  auto outcome = bus.ask(GetOrder{"1"});
  EXPECT_EQ(outcome->cache_control(), "public, max-age=60");
  EXPECT_EQ(outcome->answer().cache_control(), "public, max-age=60");
  // A 304 carries the same header.
  EXPECT_EQ(bus.ask(GetOrder{"1"}, {.if_none_match = outcome->etag()})->cache_control(), "public, max-age=60");

  EXPECT_EQ((CacheControlPolicy{.max_age = std::chrono::seconds{5}}.header_value()), "private, max-age=5");
  EXPECT_EQ((CacheControlPolicy{.max_age = std::chrono::seconds{5}, .no_store = true}.header_value()), "no-store");
}

TEST_F(QueryBusTest, NeverAnswersOlderThanTheCallersToken) {
  views.add_line("1");
  // The writer's append is in the log; the projection has not applied it yet.
  LogPosition token = views.add_line("1", /*lagging=*/true);

  auto at_once = bus.ask(GetOrder{"1"}, {.min_position = token});
  ASSERT_FALSE(at_once);
  EXPECT_EQ(at_once.error().kind(), QueryErrorKind::stale_read);
  EXPECT_EQ(at_once.error().min_position(), token);
  EXPECT_EQ(at_once.error().answered_position(), position_at(1));
  EXPECT_TRUE(at_once.error().retryable());

  // With a wait, the bus asks again until the projection catches up.
  int reads_before = views.reads.load();
  std::jthread projection{[this] {
    std::this_thread::sleep_for(std::chrono::milliseconds{30});
    views.apply_pending();
  }};
  auto waited = bus.ask(GetOrder{"1"}, {.min_position = token, .position_wait = std::chrono::seconds{5}});
  ASSERT_TRUE(waited) << waited.error().describe();
  EXPECT_GE(waited->answer().position, token);
  EXPECT_EQ(waited->value().lines, 2);
  EXPECT_GT(views.reads.load() - reads_before, 1);
}

TEST(QueryMiddlewareTest, RunsInTheOrderAddedAroundTheHandler) {
  QueryBus bus;
  std::vector<std::string> steps;
  auto step = [&](std::string name) {
    return [&steps, name](QueryInvocation&, const NextQueryStep& next) {
      steps.push_back(name + " in");
      auto result = next();
      steps.push_back(name + " out");
      return result;
    };
  };
  bus.use(step("first"));
  bus.use(step("second"));
  bus.handle<CountLines>([&](const CountLines&) {
    steps.push_back("handler");
    return answer_at(position_at(1), 3);
  });
  ASSERT_TRUE(bus.ask(CountLines{}));
  EXPECT_EQ(steps, (std::vector<std::string>{"first in", "second in", "handler", "second out", "first out"}));
}

TEST(QueryMiddlewareTest, AMiddlewareMayAnswerButNotWithAnotherTypeOrAnOlderPosition) {
  QueryBus bus;
  int handler_calls = 0;
  bus.handle<CountLines>([&](const CountLines&) {
    ++handler_calls;
    return answer_at(position_at(1), 3);
  });
  AnyQueryAnswer canned{std::any{7}, position_at(5)};
  bus.use([&](QueryInvocation& invocation, const NextQueryStep&) -> QueryResult<AnyQueryAnswer> {
    EXPECT_NE(invocation.query_as<CountLines>(), nullptr);
    EXPECT_EQ(invocation.query_as<Unhandled>(), nullptr);
    return canned;
  });
  EXPECT_EQ(bus.ask(CountLines{})->value(), 7);
  EXPECT_EQ(handler_calls, 0);

  canned.value = std::string{"seven"};
  auto wrong_type = bus.ask(CountLines{});
  ASSERT_FALSE(wrong_type);
  EXPECT_EQ(wrong_type.error().kind(), QueryErrorKind::invalid_answer);

  canned.value = 7;
  auto older = bus.ask(CountLines{}, {.min_position = position_at(6)});
  ASSERT_FALSE(older);
  EXPECT_EQ(older.error().kind(), QueryErrorKind::stale_read);
}

TEST(QueryMetricsTest, CountsEachOutcomePerQueryType) {
  OrderViews views;
  QueryMetrics metrics;
  QueryBus bus;
  bus.use(query_metrics_middleware(metrics));
  bus.handle<GetOrder>([&](const GetOrder& query) { return views.answer(query.order_id); });
  views.add_line("1");

  auto answered = bus.ask(GetOrder{"1"});
  ASSERT_TRUE(answered);
  ASSERT_TRUE(bus.ask(GetOrder{"1"}));
  ASSERT_TRUE(bus.ask(GetOrder{"1"}, {.if_none_match = answered->etag()})->not_modified());
  ASSERT_FALSE(bus.ask(GetOrder{"2"}));
  ASSERT_FALSE(bus.ask(GetOrder{"1"}, {.min_position = position_at(99)}));
  ASSERT_FALSE(bus.ask(Unhandled{}));

  auto by_type = metrics.by_query_type();
  ASSERT_EQ(by_type.size(), 2U);
  const QueryStatistics& orders = by_type[0];
  EXPECT_EQ(orders.query_type, "GetOrder");
  EXPECT_EQ(orders.asked, 5U);
  EXPECT_EQ(orders.answered, 2U);
  EXPECT_EQ(orders.not_modified, 1U);
  EXPECT_EQ(orders.not_found, 1U);
  EXPECT_EQ(orders.stale_reads, 1U);
  EXPECT_EQ(orders.failed, 0U);
  EXPECT_EQ(orders.from_cache, 0U);
  EXPECT_EQ(orders.latency.count(), 5U);
  EXPECT_EQ(by_type[1].query_type, "Unhandled");
  EXPECT_EQ(by_type[1].failed, 1U);

  QueryStatistics total = metrics.total();
  EXPECT_EQ(total.query_type, "all");
  EXPECT_EQ(total.asked, 6U);
  EXPECT_EQ(total.latency.count(), 6U);
}

TEST(QueryTracingTest, GivesEachQueryASpanOfTheCallersTrace) {
  OrderViews views;
  views.add_line("1");
  std::vector<QuerySpan> spans;
  std::string handler_saw;
  QueryBus bus;
  bus.use(query_tracing_middleware([&](const QuerySpan& span) { spans.push_back(span); }));
  bus.handle<GetOrder>([&](const GetOrder& query, const QueryOptions& options) {
    handler_saw = options.traceparent;
    return views.answer(query.order_id);
  });

  const std::string caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  ASSERT_TRUE(bus.ask(GetOrder{"1"}, {.traceparent = caller}));
  ASSERT_FALSE(bus.ask(GetOrder{"2"}, {.traceparent = "garbage"}));
  ASSERT_EQ(spans.size(), 2U);

  const QuerySpan& span = spans[0];
  EXPECT_EQ(span.name, "query GetOrder");
  EXPECT_EQ(span.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(span.parent_span_id, "00f067aa0ba902b7");
  EXPECT_NE(span.span_id, "00f067aa0ba902b7");
  EXPECT_TRUE(span.succeeded);
  EXPECT_EQ(span.position, position_at(1));
  auto context = TraceContext::parse(span.traceparent);
  ASSERT_TRUE(context);
  EXPECT_EQ(context->span_id_hex(), span.span_id);

  EXPECT_TRUE(spans[1].parent_span_id.empty());
  EXPECT_NE(spans[1].trace_id, span.trace_id);
  EXPECT_FALSE(spans[1].succeeded);
  EXPECT_EQ(spans[1].error, "not_found: no order 2");
  EXPECT_EQ(handler_saw, spans[1].traceparent);
}

TEST(QueryAnswerTest, ETagsAreStrongAndFollowThePosition) {
  EXPECT_EQ(etag_for(LogPosition{7, GlobalPosition{15}}), "\"7-15\"");
  EXPECT_NE(etag_for(position_at(1)), etag_for(position_at(2)));
  EXPECT_TRUE(etag_matches(" \"7-15\" ", "\"7-15\""));
  EXPECT_FALSE(etag_matches("", "\"7-15\""));
  EXPECT_FALSE(etag_matches("\"7-1\", \"7-150\"", "\"7-15\""));
}

}  // namespace
}  // namespace eventstore
