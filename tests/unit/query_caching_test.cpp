// The caching middleware over a TieredCache (level 1 only): hits, the
// caller's token against older cached answers (also under concurrent writers
// and readers, with the negative control without the token), not modified
// from the cache, keys and codecs of one's own, and invalidation driven by
// recorded events.
#include "eventstore/queries/middleware/caching_middleware.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "eventstore/queries/middleware/query_metrics_middleware.hpp"
#include "eventstore/queries/query_cache_invalidator.hpp"
#include "eventstore/subscriptions/event_handler.hpp"
#include "query_test_model.hpp"

namespace eventstore {
namespace {

using query_test::GetOrder;
using query_test::OrderView;
using query_test::OrderViews;
using query_test::position_at;

struct CountLines {
  using Answer = int;
  std::string order_id;
};

class QueryCachingTest : public ::testing::Test {
 protected:
  QueryCachingTest() {
    caching.cache<GetOrder>();
    bus.use(query_metrics_middleware(metrics));
    bus.use(caching.middleware());
    bus.handle<GetOrder>([this](const GetOrder& query) { return views.answer(query.order_id); });
  }

  OrderViews views;
  cache::TieredCache cache;
  CachingMiddleware caching{cache};
  QueryMetrics metrics;
  QueryBus bus;
};

TEST_F(QueryCachingTest, TheSecondAskIsAHit) {
  views.add_line("1");
  auto first = bus.ask(GetOrder{"1"});
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_FALSE(first->answer().from_cache);
  auto second = bus.ask(GetOrder{"1"});
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_TRUE(second->answer().from_cache);
  EXPECT_EQ(second->value(), first->value());
  EXPECT_EQ(second->answer().position, first->answer().position);
  EXPECT_EQ(views.reads.load(), 1);

  QueryCacheStatistics statistics = caching.total();
  EXPECT_EQ(statistics.hits, 1U);
  EXPECT_EQ(statistics.misses, 1U);
  EXPECT_EQ(cache.statistics().level1_hits, 1U);
  EXPECT_EQ(cache.statistics().misses, 1U);
  EXPECT_EQ(metrics.total().from_cache, 1U);
  ASSERT_EQ(caching.by_query_type().size(), 1U);
  EXPECT_EQ(caching.by_query_type()[0].query_type, "GetOrder");
}

TEST_F(QueryCachingTest, ATokenNewerThanTheCachedAnswerAsksTheHandlerAgain) {
  views.add_line("1");
  ASSERT_TRUE(bus.ask(GetOrder{"1"}));
  LogPosition token = views.add_line("1");

  // Without the token the cached answer is good enough (and old).
  auto untokened = bus.ask(GetOrder{"1"});
  ASSERT_TRUE(untokened);
  EXPECT_LT(untokened->answer().position, token);
  EXPECT_EQ(views.reads.load(), 1);

  auto tokened = bus.ask(GetOrder{"1"}, {.min_position = token});
  ASSERT_TRUE(tokened) << tokened.error().describe();
  EXPECT_FALSE(tokened->answer().from_cache);
  EXPECT_GE(tokened->answer().position, token);
  EXPECT_EQ(tokened->value().lines, 2);
  EXPECT_EQ(views.reads.load(), 2);
  EXPECT_EQ(cache.statistics().stale_entries, 1U);

  // The fresh answer is cached: the same token now hits.
  auto again = bus.ask(GetOrder{"1"}, {.min_position = token});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->answer().from_cache);
  EXPECT_EQ(views.reads.load(), 2);
}

TEST_F(QueryCachingTest, AReadModelBehindTheTokenIsAStaleReadAndNothingIsCached) {
  views.add_line("1");
  LogPosition token = views.add_line("1", /*lagging=*/true);
  auto outcome = bus.ask(GetOrder{"1"}, {.min_position = token});
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().kind(), QueryErrorKind::stale_read);
  EXPECT_EQ(cache.statistics().load_errors, 1U);
  EXPECT_EQ(cache.statistics().level1_entries, 0U);
  EXPECT_EQ(metrics.total().stale_reads, 1U);
}

TEST_F(QueryCachingTest, NotModifiedFromTheCacheWithoutTheHandler) {
  views.add_line("1");
  auto first = bus.ask(GetOrder{"1"});
  ASSERT_TRUE(first);
  auto again = bus.ask(GetOrder{"1"}, {.if_none_match = first->etag()});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->not_modified());
  EXPECT_EQ(views.reads.load(), 1);
  EXPECT_EQ(metrics.total().not_modified, 1U);

  // A token past the cached answer reloads, and the new ETag differs.
  LogPosition token = views.add_line("1");
  auto changed = bus.ask(GetOrder{"1"}, {.min_position = token, .if_none_match = first->etag()});
  ASSERT_TRUE(changed);
  EXPECT_FALSE(changed->not_modified());
  EXPECT_NE(changed->etag(), first->etag());
}

TEST_F(QueryCachingTest, KeysAndCodecsOfOnesOwn) {
  int counts = 0;
  bus.handle<CountLines>([&](const CountLines& query) -> QueryResult<QueryAnswer<int>> {
    ++counts;
    auto view = views.answer(query.order_id);
    if (!view) return std::unexpected(view.error());
    return answer_at(view->position, view->value.lines);
  });
  caching.cache<CountLines>([](const CountLines& query) { return "line-count:" + query.order_id; },
                            QueryCodec<int>{
                                [](const int& value) { return std::to_string(value); },
                                [](std::string_view bytes) -> std::optional<int> {
                                  if (bytes.empty() || bytes.find_first_not_of("0123456789") != std::string_view::npos)
                                    return std::nullopt;
                                  return std::stoi(std::string{bytes});
                                },
                            },
                            {.time_to_live = std::chrono::minutes{1}});
  views.add_line("1");
  views.add_line("1");
  ASSERT_EQ(bus.ask(CountLines{"1"})->value(), 2);
  auto stored = cache.get("line-count:1");
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->bytes, "2");
  EXPECT_EQ(bus.ask(CountLines{"1"})->value(), 2);
  EXPECT_EQ(counts, 1);

  // Bytes the codec cannot read are a miss: the handler answers.
  ASSERT_TRUE(cache.put("line-count:1", cache::CachedValue{"garbage", views.checkpoint()}));
  EXPECT_EQ(bus.ask(CountLines{"1"})->value(), 2);
  EXPECT_EQ(counts, 2);
  auto by_type = caching.by_query_type();
  ASSERT_EQ(by_type.size(), 2U);
  EXPECT_EQ(by_type[0].query_type, "CountLines");
  EXPECT_EQ(by_type[0].undecodable, 1U);
  EXPECT_EQ(by_type[0].hits, 1U);
}

// Writers add lines and read their order back with the position of their
// append as the token, readers ask with the newest token a writer published;
// no answer may be older than the token asked with.
struct ConcurrentRun {
  int stale_answers = 0;
  int answers = 0;
  std::uint64_t hits = 0;
};

ConcurrentRun run_writers_and_readers(bool pass_tokens) {
  OrderViews views;
  cache::TieredCache cache;
  CachingMiddleware caching{cache};
  caching.cache<GetOrder>();
  QueryBus bus;
  bus.use(caching.middleware());
  bus.handle<GetOrder>([&](const GetOrder& query) { return views.answer(query.order_id); });

  constexpr int order_count = 4;
  constexpr int writes_per_writer = 300;
  std::vector<std::atomic<std::int64_t>> published(order_count);
  for (int order = 0; order < order_count; ++order)
    published[order] = views.add_line(std::to_string(order)).position.value();
  std::atomic<int> stale{0};
  std::atomic<int> answers{0};
  std::atomic<bool> writing{true};

  auto check = [&](const QueryResult<QueryOutcome<OrderView>>& outcome, LogPosition wanted) {
    ASSERT_TRUE(outcome) << outcome.error().describe();
    answers.fetch_add(1);
    if (outcome->answer().position < wanted) stale.fetch_add(1);
  };
  {
    std::vector<std::jthread> threads;
    for (int writer = 0; writer < 2; ++writer) {
      threads.emplace_back([&, writer] {
        for (int i = 0; i < writes_per_writer; ++i) {
          std::string order = std::to_string((i + writer) % order_count);
          LogPosition token = views.add_line(order);
          published[(i + writer) % order_count].store(token.position.value());
          check(bus.ask(GetOrder{order}, {.min_position = pass_tokens ? token : LogPosition{}}), token);
        }
      });
    }
    for (int reader = 0; reader < 3; ++reader) {
      threads.emplace_back([&, reader] {
        for (int i = 0; writing.load() || i < 100; ++i) {
          int order = (i + reader) % order_count;
          LogPosition token = position_at(published[order].load());
          check(bus.ask(GetOrder{std::to_string(order)}, {.min_position = pass_tokens ? token : LogPosition{}}), token);
        }
      });
    }
    threads[0].join();
    threads[1].join();
    writing = false;
  }
  return ConcurrentRun{stale.load(), answers.load(), caching.total().hits};
}

TEST(QueryCachingConcurrencyTest, ReadersWithTokensNeverSeeAnOlderAnswer) {
  ConcurrentRun run = run_writers_and_readers(/*pass_tokens=*/true);
  EXPECT_EQ(run.stale_answers, 0);
  EXPECT_GT(run.answers, 600);
  // The cache answered part of them: the rule was tested against cached answers.
  EXPECT_GT(run.hits, 0U);
}

TEST(QueryCachingConcurrencyTest, NegativeControlWithoutTokensSeesOlderAnswers) {
  ConcurrentRun run = run_writers_and_readers(/*pass_tokens=*/false);
  EXPECT_GT(run.stale_answers, 0);
}

TEST(QueryCacheInvalidatorTest, ARecordedEventDropsTheAnswersItMakesOld) {
  OrderViews views;
  cache::TieredCache cache;
  CachingMiddleware caching{cache};
  caching.cache<GetOrder>();
  QueryBus bus;
  bus.use(caching.middleware());
  bus.handle<GetOrder>([&](const GetOrder& query) { return views.answer(query.order_id); });
  QueryCacheInvalidator invalidator{cache, [](const RecordedEvent& event) {
                                      return std::vector<std::string>{"order:" + event.stream.value().substr(6)};
                                    }};
  // What a subscription member takes.
  EventHandler handler = invalidator;

  auto event_at = [](LogPosition position) {
    return RecordedEvent{
        *StreamName::from("order-1"), StreamVersion{0}, position, EventId::generate(), "LineAdded", "{}", "", {}};
  };

  views.add_line("1");
  ASSERT_TRUE(bus.ask(GetOrder{"1"}));
  // An event the cached answer already reflects leaves it.
  ASSERT_TRUE(handler(event_at(views.checkpoint())));
  EXPECT_TRUE(bus.ask(GetOrder{"1"})->answer().from_cache);

  // A newer event drops it: a caller without a token gets the new state.
  LogPosition written = views.add_line("1");
  ASSERT_TRUE(handler(event_at(written)));
  auto fresh = bus.ask(GetOrder{"1"});
  ASSERT_TRUE(fresh);
  EXPECT_FALSE(fresh->answer().from_cache);
  EXPECT_EQ(fresh->value().lines, 2);
  EXPECT_EQ(cache.statistics().invalidations, 2U);
  EXPECT_TRUE(invalidator.invalidate(event_at(written)));
}

}  // namespace
}  // namespace eventstore
