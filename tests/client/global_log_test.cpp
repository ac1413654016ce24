// The global log and categories, read from checkpoints: every committed event
// exactly once, in (transaction, position) order, including an event whose
// lower position commits after a higher one.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "event_factory.hpp"
#include "sql_session.hpp"
#include "test_database.hpp"

namespace eventstore {
namespace {

using namespace testing_support;
using Clock = std::chrono::steady_clock;

// Reads the log up to its current end; the checkpoint to resume from.
std::optional<LogPosition> catch_up(Client& reader) {
  std::optional<LogPosition> checkpoint;
  for (;;) {
    auto page = reader.read_all(checkpoint, 10'000);
    EXPECT_TRUE(page) << page.error().describe();
    if (!page || page->empty()) return checkpoint;
    if (checkpoint && !(*checkpoint < page->front().log_position)) {
      ADD_FAILURE() << "a page started at or before its checkpoint";
      return checkpoint;
    }
    checkpoint = page->back().log_position;
  }
}

bool in_category(const RecordedEvent& event, std::string_view category) { return event.stream.category() == category; }

class GlobalLogTest : public ClientTest {
 protected:
  void SetUp() override {
    ClientTest::SetUp();
    if (HasFatalFailure()) return;
    category_ = "log" + token();
  }

  StreamName stream(const std::string& id) const { return ClientTest::stream("log", id); }

  std::string category_;
};

TEST_F(GlobalLogTest, ResumingFromCheckpointsSeesEveryEventExactlyOnce) {
  auto reader_connection = connect_client();
  ASSERT_TRUE(reader_connection);
  Client& reader = *reader_connection;
  std::optional<LogPosition> checkpoint = catch_up(reader);

  std::vector<EventId> seen;
  bool log_repeated = false;
  auto read_page = [&](std::int32_t max_count) {
    if (log_repeated) return 0;
    auto page = reader.read_all(checkpoint, max_count);
    EXPECT_TRUE(page) << page.error().describe();
    if (!page) return 0;
    for (const RecordedEvent& event : *page) {
      if (checkpoint && !(*checkpoint < event.log_position)) {
        ADD_FAILURE() << "the log went backwards or repeated itself";
        log_repeated = true;
        return 0;  // stops the caller's loops
      }
      checkpoint = event.log_position;
      if (in_category(event, category_)) seen.push_back(event.id);
    }
    return static_cast<int>(page->size());
  };

  // An append whose transaction takes its position first and commits last.
  EventData held = EventData::create("Held", "{}");
  SqlSession holder{test_dsn()};
  ASSERT_TRUE(holder.execute("BEGIN"));
  ASSERT_TRUE(holder.execute("SELECT eventstore.append('" + category_ + "-held', -1, ARRAY[eventstore.event('Held', " +
                             "'{}', NULL, '" + held.id.to_string() + "')])"))
      << holder.last_error();
  EventData overtaking = EventData::create("Overtaking", "{}");
  auto overtaken = client().append(stream("overtaking"), ExpectedVersion::no_stream(), overtaking);
  ASSERT_TRUE(overtaken) << overtaken.error().describe();
  // Committed, but behind a transaction still in flight: not readable yet.
  while (read_page(100) > 0) {
  }
  EXPECT_TRUE(seen.empty()) << "an event was readable before an earlier transaction committed";
  ASSERT_TRUE(holder.execute("COMMIT"));

  // Concurrent writers while the reader pages through in small steps.
  constexpr int writers = 3;
  constexpr int appends_per_writer = 100;
  std::mutex written_mutex;
  std::vector<EventId> written = {held.id, overtaking.id};
  std::atomic<int> finished_writers = 0;
  std::vector<std::jthread> threads;
  for (int w = 0; w < writers; ++w)
    threads.emplace_back([&, w] {
      auto writer = Client::connect(test_dsn());
      if (!writer) {
        ADD_FAILURE() << writer.error().describe();
        ++finished_writers;
        return;
      }
      StreamName writer_stream = stream("writer" + std::to_string(w));
      for (int i = 0; i < appends_per_writer; ++i) {
        std::vector<EventData> events = make_events(1 + i % 3);
        auto appended = writer->append(writer_stream, ExpectedVersion::any(), events);
        if (!appended) {
          ADD_FAILURE() << appended.error().describe();
          continue;
        }
        std::lock_guard lock(written_mutex);
        for (const EventData& event : events) written.push_back(event.id);
      }
      ++finished_writers;
    });
  while (finished_writers.load() < writers) read_page(37);
  threads.clear();

  // Everything has committed; read until all of it arrived (a transaction
  // in flight elsewhere in the cluster may hold the log back for a while).
  auto deadline = Clock::now() + std::chrono::seconds{60};
  while (seen.size() < written.size() && Clock::now() < deadline && !log_repeated)
    if (read_page(37) == 0) std::this_thread::sleep_for(std::chrono::milliseconds{20});

  std::unordered_set<EventId> unique_seen(seen.begin(), seen.end());
  EXPECT_EQ(unique_seen.size(), seen.size()) << "an event was read twice";
  EXPECT_EQ(unique_seen, std::unordered_set<EventId>(written.begin(), written.end()));
  ASSERT_GE(seen.size(), 2u);
  EXPECT_EQ(seen[0], held.id) << "the earlier transaction's event comes first in the log";
  EXPECT_EQ(seen[1], overtaking.id);
}

TEST_F(GlobalLogTest, CategoryReadsOnlyItsStreams) {
  ASSERT_TRUE(client().append(stream("1"), ExpectedVersion::no_stream(),
                              std::vector{EventData::create("Created", "{}"), EventData::create("Updated", "{}")}));
  ASSERT_TRUE(client().append(stream_name("other" + unique_token() + "-1"), ExpectedVersion::no_stream(),
                              EventData::create("Created", "{}")));
  ASSERT_TRUE(client().append(stream("2"), ExpectedVersion::no_stream(),
                              std::vector{EventData::create("Created", "{}"), EventData::create("Deleted", "{}")}));
  // A stream whose name only starts like the category is not in it.
  ASSERT_TRUE(client().append(stream_name(category_ + "x-1"), ExpectedVersion::no_stream(),
                              EventData::create("Created", "{}")));

  auto all = client().read_category(category_, std::nullopt, 100);
  ASSERT_TRUE(all) << all.error().describe();
  ASSERT_EQ(all->size(), 4u);
  std::vector<std::string> order;
  for (const RecordedEvent& event : *all) order.push_back(event.stream.value() + "/" + event.type);
  EXPECT_EQ(order, (std::vector<std::string>{category_ + "-1/Created", category_ + "-1/Updated",
                                             category_ + "-2/Created", category_ + "-2/Deleted"}));

  auto filtered = client().read_category(category_, std::nullopt, 100, {"Updated", "Deleted"});
  ASSERT_TRUE(filtered) << filtered.error().describe();
  ASSERT_EQ(filtered->size(), 2u);
  EXPECT_EQ((*filtered)[0].type, "Updated");
  EXPECT_EQ((*filtered)[1].type, "Deleted");

  auto after_first = client().read_category(category_, (*all)[0].log_position, 100);
  ASSERT_TRUE(after_first);
  EXPECT_EQ(after_first->size(), 3u);

  // One event per page, resuming each time from the last.
  std::optional<LogPosition> checkpoint;
  int pages = 0;
  for (;; ++pages) {
    auto page = client().read_category(category_, checkpoint, 1);
    ASSERT_TRUE(page) << page.error().describe();
    if (page->empty()) break;
    ASSERT_EQ(page->size(), 1u);
    EXPECT_EQ(page->front().id, (*all)[static_cast<std::size_t>(pages)].id);
    checkpoint = page->front().log_position;
  }
  EXPECT_EQ(pages, 4);
}

TEST_F(GlobalLogTest, TypeFilterOnTheWholeLog) {
  std::string wanted = "Wanted" + unique_token();
  std::string also_wanted = "AlsoWanted" + unique_token();
  ASSERT_TRUE(client().append(stream("1"), ExpectedVersion::any(),
                              std::vector{EventData::create(wanted, "{}"), EventData::create("Unwanted", "{}"),
                                          EventData::create(also_wanted, "{}")}));
  ASSERT_TRUE(client().append(stream("2"), ExpectedVersion::any(), EventData::create(wanted, "{\"n\": 2}")));

  // The log fence holds back events committed after any older transaction still running in the
  // database (autovacuum's ANALYZE is one), so the last append may show a moment later: read
  // again until it does, for at most 10 s, then judge what was read.
  auto read = client().read_all(std::nullopt, 1000, {wanted, also_wanted});
  for (auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
       read && read->size() < 3 && std::chrono::steady_clock::now() < give_up;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    read = client().read_all(std::nullopt, 1000, {wanted, also_wanted});
  }
  ASSERT_TRUE(read) << read.error().describe();
  std::vector<std::string> types;
  for (const RecordedEvent& event : *read) types.push_back(event.type);
  EXPECT_EQ(types, (std::vector<std::string>{wanted, also_wanted, wanted}));
  EXPECT_EQ(read->back().data, "{\"n\": 2}");
}

}  // namespace
}  // namespace eventstore
