#include "log_writers.hpp"

#include <atomic>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

#include "pq_session.hpp"

namespace eventstore::e2e {
namespace {

const char* const categories[] = {"alpha", "beta", "gamma"};
constexpr int stream_count = 64;

const char* const append_any =
    "SELECT next_expected_version FROM eventstore.append($1, -2, ARRAY("
    "SELECT eventstore.event(t, d::jsonb, NULL, i::uuid) FROM unnest($2::text[], $3::text[], $4::text[]) "
    "WITH ORDINALITY AS u(t, d, i, n) ORDER BY n))";

void run_writer(const std::string& dsn, int writer, int outbox_every, std::atomic<long long>& appended,
                long long target, std::atomic<int>& failures) {
  PqSession session(dsn);
  std::mt19937 random(static_cast<unsigned>(writer * 104729 + 3));
  while (appended.load() < target) {
    std::string stream =
        std::string(categories[random() % 3]) + "-" + std::to_string(random() % (stream_count / 3 + 1));
    int count = 1 + static_cast<int>(random() % 10);
    std::vector<std::string> types, data, ids;
    for (int i = 0; i < count; ++i) {
      types.push_back("Happened");
      data.push_back("{\"writer\": " + std::to_string(writer) + ", \"i\": " + std::to_string(i) + "}");
      ids.push_back(random_uuid());
    }
    bool outbox_first = outbox_every > 0 && writer % outbox_every == 0;
    if (outbox_first) {
      session.must("BEGIN");
      session.must("INSERT INTO outbox (note) VALUES ('before the append')");
    }
    QueryResult result = session.query(append_any, {stream, text_array(types), text_array(data), text_array(ids)});
    if (outbox_first && result.ok) result = session.query("COMMIT", {});
    if (outbox_first && !result.ok) session.query("ROLLBACK", {});
    if (!result.ok && result.sqlstate == "40001") continue;  // retried, as a client would
    if (!result.ok) {
      std::fprintf(stderr, "append failed: %s %s", result.sqlstate.c_str(), result.message.c_str());
      ++failures;
      return;
    }
    appended += count;
  }
}

}  // namespace

WriterTotals run_log_writers(const std::string& dsn, int writers, long long target, int outbox_every) {
  std::atomic<long long> appended{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int writer = 0; writer < writers; ++writer)
    threads.emplace_back(run_writer, std::cref(dsn), writer, outbox_every, std::ref(appended), target,
                         std::ref(failures));
  for (auto& thread : threads) thread.join();
  return WriterTotals{appended.load(), failures.load()};
}

}  // namespace eventstore::e2e
