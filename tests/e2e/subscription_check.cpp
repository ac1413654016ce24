// Subscription check: eventstore::Subscription under concurrent writers and
// faults, judged against the final table (each event's id, stream and
// version), never against the positions the subscription pages on.
//
// Phase 1 (connections killed): two members in this process share 4
// partitions while 8 writers append at least 90,000 events and a killer
// terminates every connection of the members (their reads, acknowledgements
// and the wake-up sleeping in wait_for_log) every 150 ms. After the writers
// stop and the members catch up: skip (in the table, never handled) = 0,
// dup (handled twice) = 0, and each member handles each stream's versions one
// after the other.
//
// Phase 2 (a member killed): two members run as child processes that write
// what they handle into a table; under load one is killed with SIGKILL. The
// other must hold every partition within the lease plus two join intervals,
// and in the end every event is handled (skip = 0), no stream's version is
// handled before the one below it (judged in the table's order of handling,
// across both processes), and no member handles an event twice; an event
// handled again by the other member (its partition moved before the
// checkpoint was committed: at least once) is counted.
//
// --control: the judge is shown a delivery with one event dropped, one
// handled twice and one stream's two events swapped, and must catch all three.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "eventstore/eventstore.hpp"
#include "log_writers.hpp"
#include "pq_session.hpp"

extern char** environ;

namespace eventstore::e2e {
namespace {

using namespace std::chrono_literals;

struct Handled {
  std::string event_id;
  std::string stream;
  long long version;
};

struct Verdict {
  long long handled = 0, skip = 0, dup = 0, stream_reorder = 0;
};

// Each member's deliveries, in the order it handled them.
Verdict judge(const std::vector<std::vector<Handled>>& members, const std::set<std::string>& stored_ids) {
  Verdict verdict;
  std::unordered_map<std::string, int> times;
  for (const auto& delivered : members) {
    std::unordered_map<std::string, long long> next_version;
    for (const Handled& event : delivered) {
      ++verdict.handled;
      ++times[event.event_id];
      auto next = next_version.find(event.stream);
      if (next != next_version.end() && event.version != next->second) ++verdict.stream_reorder;
      next_version[event.stream] = event.version + 1;
    }
  }
  for (const auto& [id, count] : times)
    if (count > 1) verdict.dup += count - 1;
  for (const std::string& id : stored_ids)
    if (!times.contains(id)) ++verdict.skip;
  return verdict;
}

std::set<std::string> stored_ids(const std::string& dsn) {
  PqSession session(dsn);
  std::set<std::string> ids;
  for (const auto& row : session.must("SELECT event_id::text FROM eventstore.events").rows) ids.insert(*row[0]);
  return ids;
}

SubscriptionOptions member_options(const std::string& member) {
  SubscriptionOptions options;
  options.name = "subscription-check";
  options.member = member;
  options.partition_count = 4;
  options.lease = 2s;
  options.join_interval = 200ms;
  options.wait_timeout = 500ms;
  options.retry_backoff = 5ms;
  options.max_retry_backoff = 200ms;
  return options;
}

// ---- phase 1: two members in this process, their connections killed repeatedly

struct InProcessMember {
  std::unique_ptr<Client> client;
  std::unique_ptr<Subscription> subscription;
  std::mutex mutex;
  std::vector<Handled> handled;
};

bool connections_killed_phase(const std::string& dsn, long long target_events) {
  InProcessMember members[2];
  const char* names[2] = {"member-a", "member-b"};
  for (int m = 0; m < 2; ++m) {
    auto client = Client::connect(dsn + " application_name=subscription-check-" + names[m]);
    if (!client) {
      std::fprintf(stderr, "connect: %s\n", client.error().describe().c_str());
      return false;
    }
    members[m].client = std::make_unique<Client>(std::move(*client));
    InProcessMember& member = members[m];
    auto subscription = Subscription::start(
        *member.client, *member.client, member_options(names[m]),
        [&member](const RecordedEvent& event) -> HandlerResult {
          std::lock_guard lock(member.mutex);
          member.handled.push_back(Handled{event.id.to_string(), event.stream.value(), event.version.value()});
          return {};
        });
    if (!subscription) {
      std::fprintf(stderr, "start: %s\n", subscription.error().describe().c_str());
      return false;
    }
    member.subscription = std::move(*subscription);
  }
  // Writers start once the partitions are shared (a partition moving before
  // its checkpoint is committed is handled twice, by design).
  auto shared_by = std::chrono::steady_clock::now() + 20s;
  while (members[0].subscription->partitions().size() != 2 || members[1].subscription->partitions().size() != 2) {
    if (std::chrono::steady_clock::now() > shared_by) {
      std::fprintf(stderr, "the members did not share the partitions\n");
      return false;
    }
    std::this_thread::sleep_for(10ms);
  }

  std::atomic<bool> writers_done{false};
  std::atomic<long long> kills{0};
  std::thread killer([&] {
    PqSession admin(dsn);
    while (!writers_done) {
      std::this_thread::sleep_for(150ms);
      QueryResult killed = admin.query(
          "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
          "WHERE application_name LIKE 'subscription-check-member-%'");
      if (killed.ok) kills += std::stoll(*killed.rows[0][0]);
    }
  });
  auto started = std::chrono::steady_clock::now();
  WriterTotals totals = run_log_writers(dsn, 8, target_events, /*outbox_every=*/0);
  writers_done = true;
  killer.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  bool caught_up =
      members[0].subscription->wait_until_caught_up(180s) && members[1].subscription->wait_until_caught_up(180s);
  auto statistics_a = members[0].subscription->statistics();
  auto statistics_b = members[1].subscription->statistics();
  for (auto& member : members) member.subscription->stop();

  std::vector<std::vector<Handled>> deliveries{members[0].handled, members[1].handled};
  auto ids = stored_ids(dsn);
  Verdict verdict = judge(deliveries, ids);
  std::printf(
      "phase 1 (connections killed): events=%zu appended_in=%.1fs writer_failures=%d connections_killed=%lld "
      "handled=%lld (a=%zu b=%zu) skip=%lld dup=%lld stream_reorder=%lld caught_up=%s read_errors=%lld+%lld "
      "commits=%lld+%lld wake_ups=%lld+%lld leases_lost=%lld+%lld dropped_on_rebalance=%lld+%lld\n",
      ids.size(), seconds, totals.failures, kills.load(), verdict.handled, deliveries[0].size(), deliveries[1].size(),
      verdict.skip, verdict.dup, verdict.stream_reorder, caught_up ? "yes" : "NO",
      static_cast<long long>(statistics_a.read_errors), static_cast<long long>(statistics_b.read_errors),
      static_cast<long long>(statistics_a.commits), static_cast<long long>(statistics_b.commits),
      static_cast<long long>(statistics_a.wake_ups), static_cast<long long>(statistics_b.wake_ups),
      static_cast<long long>(statistics_a.leases_lost), static_cast<long long>(statistics_b.leases_lost),
      static_cast<long long>(statistics_a.events_dropped_on_rebalance),
      static_cast<long long>(statistics_b.events_dropped_on_rebalance));
  return caught_up && totals.failures == 0 && static_cast<long long>(ids.size()) >= target_events && kills > 0 &&
         verdict.skip == 0 && verdict.dup == 0 && verdict.stream_reorder == 0 && !deliveries[0].empty() &&
         !deliveries[1].empty();
}

// ---- phase 2: two member processes, one killed

// A child: runs one member until killed or told to stop (SIGTERM), writing
// each event it handles to the table `handled`.
int run_member_process(const std::string& dsn, const std::string& member) {
  auto client = Client::connect(dsn + " application_name=subscription-check-" + member);
  if (!client) return 3;
  PqSession recorder(dsn);
  static std::atomic<bool> stop{false};
  signal(SIGTERM, [](int) { stop = true; });
  auto subscription =
      Subscription::start(*client, *client, member_options(member), [&](const RecordedEvent& event) -> HandlerResult {
        QueryResult inserted =
            recorder.query("INSERT INTO handled (event_id, member, stream_name, version) VALUES ($1::uuid, $2, $3, $4)",
                           {event.id.to_string(), member, event.stream.value(), std::to_string(event.version.value())});
        if (!inserted.ok) return std::unexpected(inserted.message);
        return {};
      });
  if (!subscription) return 4;
  while (!stop) std::this_thread::sleep_for(20ms);
  (void)(*subscription)->wait_until_caught_up(60s);
  (*subscription)->stop();
  return 0;
}

pid_t spawn_member(const char* self, const std::string& member) {
  pid_t pid = 0;
  std::string argument0 = self, argument1 = "--member", argument2 = member;
  char* arguments[] = {argument0.data(), argument1.data(), argument2.data(), nullptr};
  if (posix_spawn(&pid, self, nullptr, nullptr, arguments, environ) != 0) return -1;
  return pid;
}

int held_by(PqSession& session, const std::string& member) {
  QueryResult held = session.query(
      "SELECT count(*) FROM eventstore.subscription_partitions WHERE subscription_name = 'subscription-check' "
      "AND owner = $1 AND lease_expires_at > clock_timestamp()",
      {member});
  return held.ok ? std::stoi(*held.rows[0][0]) : -1;
}

bool member_killed_phase(const std::string& dsn, const char* self, long long target_events) {
  PqSession session(dsn);
  session.must("SELECT eventstore.drop_subscription('subscription-check')");
  session.must(
      "CREATE TABLE handled (n bigserial PRIMARY KEY, event_id uuid, member text, stream_name text, version bigint)");
  pid_t a = spawn_member(self, "process-a");
  pid_t b = spawn_member(self, "process-b");
  if (a <= 0 || b <= 0) return false;
  auto shared_by = std::chrono::steady_clock::now() + 30s;
  while (held_by(session, "process-a") != 2 || held_by(session, "process-b") != 2) {
    if (std::chrono::steady_clock::now() > shared_by) {
      std::fprintf(stderr, "the member processes did not share the partitions\n");
      kill(a, SIGKILL);
      kill(b, SIGKILL);
      return false;
    }
    std::this_thread::sleep_for(20ms);
  }
  const long long stored_before = std::stoll(*session.must("SELECT count(*) FROM eventstore.events").rows[0][0]);
  std::atomic<long long> appended_before_kill{0};
  std::thread writers([&] { (void)run_log_writers(dsn, 4, target_events, 0); });
  // Kill a once a third of this phase's events are in.
  for (;;) {
    QueryResult count = session.must("SELECT count(*) FROM eventstore.events");
    appended_before_kill = std::stoll(*count.rows[0][0]) - stored_before;
    if (appended_before_kill >= target_events / 3) break;
    std::this_thread::sleep_for(20ms);
  }
  kill(a, SIGKILL);
  auto killed_at = std::chrono::steady_clock::now();
  int status = 0;
  waitpid(a, &status, 0);
  double takeover_seconds = -1;
  while (std::chrono::steady_clock::now() - killed_at < 30s) {
    if (held_by(session, "process-b") == 4) {
      takeover_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - killed_at).count();
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  writers.join();
  kill(b, SIGTERM);
  waitpid(b, &status, 0);
  bool b_ended_well = WIFEXITED(status) && WEXITSTATUS(status) == 0;

  // Judged in the order the events were handled (the table's serial, across
  // both processes): a stream's version is never handled before the one
  // below it was (by either member); handled again is allowed only by the
  // other member (a partition that moved before its checkpoint was committed:
  // at least once), never twice by the same member.
  std::vector<std::vector<Handled>> deliveries(2);
  QueryResult rows = session.must("SELECT event_id::text, member, stream_name, version FROM handled ORDER BY n");
  std::unordered_map<std::string, long long> highest_version;
  std::set<std::pair<std::string, std::string>> handled_by_member;
  long long stream_gaps = 0, handled_again = 0, unexplained_dup = 0;
  for (const auto& row : rows.rows) {
    const std::string& id = *row[0];
    const std::string& member = *row[1];
    long long version = std::stoll(*row[3]);
    deliveries[member == "process-a" ? 0 : 1].push_back(Handled{id, *row[2], version});
    if (!handled_by_member.insert({member, id}).second) ++unexplained_dup;
    auto [highest, first] = highest_version.try_emplace(*row[2], -1);
    if (version > highest->second + 1) ++stream_gaps;
    if (version <= highest->second) ++handled_again;
    highest->second = std::max(highest->second, version);
  }
  auto ids = stored_ids(dsn);
  Verdict verdict = judge(deliveries, ids);
  const double bound = 2.0 + 2 * 0.2 + 1.0;  // lease + two join intervals + slack for a loaded machine
  std::printf(
      "phase 2 (member killed): events=%zu appended_before_kill=%lld handled=%lld (a=%zu b=%zu) skip=%lld "
      "handled_again_by_the_other_member=%lld handled_twice_by_one_member=%lld stream_gaps=%lld "
      "takeover=%.2fs (bound %.1fs)\n",
      ids.size(), appended_before_kill.load(), verdict.handled, deliveries[0].size(), deliveries[1].size(),
      verdict.skip, handled_again - unexplained_dup, unexplained_dup, stream_gaps, takeover_seconds, bound);
  return b_ended_well && verdict.skip == 0 && unexplained_dup == 0 && stream_gaps == 0 && takeover_seconds >= 0 &&
         takeover_seconds <= bound && !deliveries[0].empty();
}

// ---- the negative control

bool judge_catches_planted_faults() {
  std::vector<Handled> delivered;
  std::set<std::string> ids;
  for (int stream = 0; stream < 3; ++stream)
    for (int version = 0; version < 5; ++version) {
      std::string id = "event-" + std::to_string(stream) + "-" + std::to_string(version);
      ids.insert(id);
      delivered.push_back(Handled{id, "stream-" + std::to_string(stream), version});
    }
  delivered.erase(delivered.begin() + 2);  // stream-0 v2 never handled
  delivered.push_back(delivered[5]);       // handled twice
  std::swap(delivered[7], delivered[8]);   // one stream's two events swapped
  Verdict verdict = judge({delivered}, ids);
  std::printf("negative control: skip=%lld dup=%lld stream_reorder=%lld\n", verdict.skip, verdict.dup,
              verdict.stream_reorder);
  return verdict.skip == 1 && verdict.dup == 1 && verdict.stream_reorder >= 1;
}

}  // namespace
}  // namespace eventstore::e2e

int main(int argc, char** argv) {
  using namespace eventstore::e2e;
  const char* database = "eventstore_subscription_check";
  if (argc == 3 && std::string{argv[1]} == "--member") return run_member_process(test_dsn(database), argv[2]);
  if (argc == 2 && std::string{argv[1]} == "--control") {
    bool caught = judge_catches_planted_faults();
    std::printf("%s\n", caught ? "PASS: the judge caught every planted fault" : "FAIL: a planted fault went unseen");
    return caught ? 0 : 1;
  }
  long long events = 90'000;
  if (argc == 3 && std::string{argv[1]} == "--events") events = std::atoll(argv[2]);
  create_test_database(database);
  std::string dsn = test_dsn(database);
  bool first = connections_killed_phase(dsn, events);
  bool second = member_killed_phase(dsn, "/proc/self/exe", events / 4);
  std::printf("%s\n", first && second ? "PASS" : "FAIL");
  return first && second ? 0 : 1;
}
