// What the in-memory store offers beyond the shared conformance suite: its
// settings (the server's limits, a clock for created_at), thread safety, and
// a look at everything stored.
#include "eventstore/testing/in_memory_event_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

namespace eventstore {
namespace {

using eventstore::testing::InMemoryEventStore;
using eventstore::testing::InMemoryEventStoreOptions;

StreamName name(const char* text) { return *StreamName::from(text); }

TEST(InMemoryEventStore, LimitsCanBeSetAsOnTheServer) {
  InMemoryEventStore store{{.max_event_size = 64, .max_append_events = 2}};
  EXPECT_TRUE(store.append(name("order-1"), ExpectedVersion::any(),
                           std::vector{EventData::create("A", "{}"), EventData::create("A", "{}")}));
  auto too_many = store.append(
      name("order-1"), ExpectedVersion::any(),
      std::vector{EventData::create("A", "{}"), EventData::create("A", "{}"), EventData::create("A", "{}")});
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code(), ErrorCode::too_many_events);
  // A string of n bytes is stored in n + 12.
  EXPECT_TRUE(store.append(name("order-1"), ExpectedVersion::any(),
                           EventData::create("A", "\"" + std::string(52, 'x') + "\"")));
  auto too_large =
      store.append(name("order-1"), ExpectedVersion::any(), EventData::create("A", "\"" + std::string(53, 'x') + "\""));
  ASSERT_FALSE(too_large);
  EXPECT_EQ(too_large.error().code(), ErrorCode::event_too_large);
  EXPECT_NE(too_large.error().message().find("65 bytes"), std::string::npos) << too_large.error().message();
}

TEST(InMemoryEventStore, CreatedAtComesFromTheGivenClock) {
  using Time = std::chrono::sys_time<std::chrono::microseconds>;
  Time now{std::chrono::microseconds{1'700'000'000'000'000}};
  InMemoryEventStore store{{.clock = [&] { return now; }}};
  ASSERT_TRUE(store.append(name("order-1"), ExpectedVersion::any(), EventData::create("A", "{}")));
  now += std::chrono::seconds{5};
  ASSERT_TRUE(store.append(name("order-1"), ExpectedVersion::any(),
                           std::vector{EventData::create("B", "{}"), EventData::create("C", "{}")}));
  std::vector<RecordedEvent> events = store.recorded_events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].created_at, Time{std::chrono::microseconds{1'700'000'000'000'000}});
  EXPECT_EQ(events[1].created_at, now);
  EXPECT_EQ(events[2].created_at, now);
}

TEST(InMemoryEventStore, RecordedEventsAreTheLogInOrder) {
  InMemoryEventStore store;
  ASSERT_TRUE(store.append(name("order-1"), ExpectedVersion::any(), EventData::create("A", R"({"b":1,"a":2})")));
  ASSERT_TRUE(store.append(name("customer-1"), ExpectedVersion::any(), EventData::create("B", "[]", "null")));
  std::vector<RecordedEvent> events = store.recorded_events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].stream, name("order-1"));
  EXPECT_EQ(events[0].data, R"({"a": 2, "b": 1})");
  EXPECT_EQ(events[0].metadata, "");
  EXPECT_EQ(events[1].metadata, "null");
  EXPECT_EQ(events[0].log_position, (LogPosition{1, GlobalPosition{1}}));
  EXPECT_EQ(events[1].log_position, (LogPosition{2, GlobalPosition{2}}));
}

TEST(InMemoryEventStore, OfConcurrentAppendsWithOneExpectedVersionExactlyOneWins) {
  InMemoryEventStore store;
  ASSERT_TRUE(store.append(name("order-1"), ExpectedVersion::no_stream(), EventData::create("A", "{}")));
  constexpr int writers = 8;
  std::atomic<int> won = 0;
  std::atomic<int> conflicts = 0;
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < writers; ++i)
      threads.emplace_back([&] {
        auto appended = store.append(name("order-1"), ExpectedVersion::exactly(StreamVersion{0}),
                                     std::vector{EventData::create("B", "{}"), EventData::create("B", "{}")});
        if (appended) {
          ++won;
        } else if (appended.error().code() == ErrorCode::wrong_expected_version &&
                   appended.error().actual_version() == StreamVersion{2}) {
          ++conflicts;
        }
      });
  }
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(conflicts.load(), writers - 1);
  EXPECT_EQ(store.stream_version(name("order-1")), StreamVersion{2});
}

TEST(InMemoryEventStore, ConcurrentWritersAndReadersSeeContiguousStreams) {
  InMemoryEventStore store;
  constexpr int writers = 4;
  constexpr int appends_per_writer = 200;
  std::atomic<bool> writing = true;
  std::atomic<int> bad_pages = 0;
  std::jthread reader([&] {
    while (writing.load()) {
      auto log = store.read_all(std::nullopt, 100'000);
      if (!log) {
        ++bad_pages;
        continue;
      }
      for (std::size_t i = 1; i < log->size(); ++i)
        if (!((*log)[i - 1].log_position < (*log)[i].log_position)) ++bad_pages;
    }
  });
  {
    std::vector<std::jthread> threads;
    for (int w = 0; w < writers; ++w)
      threads.emplace_back([&, w] {
        for (int i = 0; i < appends_per_writer; ++i)
          EXPECT_TRUE(store.append(name(w % 2 == 0 ? "order-even" : "order-odd"), ExpectedVersion::any(),
                                   std::vector{EventData::create("A", "{}"), EventData::create("A", "{}")}));
      });
  }
  writing = false;
  reader.join();
  EXPECT_EQ(bad_pages.load(), 0);
  for (const char* stream : {"order-even", "order-odd"}) {
    auto events = store.read_stream(name(stream), {.max_count = 100'000});
    ASSERT_TRUE(events);
    ASSERT_EQ(events->size(), static_cast<std::size_t>(writers / 2 * appends_per_writer * 2));
    for (std::size_t i = 0; i < events->size(); ++i)
      EXPECT_EQ((*events)[i].version, StreamVersion{static_cast<std::int64_t>(i)});
  }
  std::set<std::uint64_t> transactions;
  for (const RecordedEvent& event : store.recorded_events()) transactions.insert(event.log_position.transaction_id);
  EXPECT_EQ(transactions.size(), static_cast<std::size_t>(writers * appends_per_writer));
}

}  // namespace
}  // namespace eventstore
