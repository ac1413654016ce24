// Multi-writer check: many writers append to a few hot streams at once with
// mixed expected versions and batch sizes; each keeps a history of what the
// server acknowledged and refused, and the history is held against the final
// tables. Reports lost, dup, gap, phantom and misplaced (an acknowledged event
// stored at another version than the one reported), which must all be 0.
//
// With --control the same workload runs against a naive append (read the
// highest version, check, insert; no lock), which the checker must catch.
// With --monthly the store is partitioned by month first (no single unique
// index then covers (stream, version) or event ids: the stream row lock and
// the checks of the append must keep them unique); the control's table is
// partitioned by month too, and must still be caught.
#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "pq_session.hpp"

namespace eventstore::e2e {
namespace {

struct Settings {
  bool control = false;
  bool monthly = false;
  int writers = 16;
  int appends_per_writer = 500;
  int hot_streams = 4;
};

struct Acknowledged {
  std::string stream;
  std::vector<std::string> event_ids;
  long long next_expected_version;
};

struct WriterHistory {
  std::vector<Acknowledged> acknowledged;
  std::set<std::string> refused_ids;  // ids of appends the server refused
  long long conflicts = 0;
  long long conflicts_without_actual_version = 0;
  std::vector<std::string> unexpected_errors;
};

const char* const append_ours =
    "SELECT next_expected_version FROM eventstore.append($1, $2::bigint, ARRAY("
    "SELECT eventstore.event(t, d::jsonb, NULL, i::uuid) FROM unnest($3::text[], $4::text[], $5::text[]) "
    "WITH ORDINALITY AS u(t, d, i, n) ORDER BY n))";

const char* const append_naive =
    "SELECT next_expected_version FROM naive_append($1, $2::bigint, $3::text[], $4::text[], $5::text[])";

// The append most teams write first: nothing stops two writers from reading
// the same highest version and both inserting the next one.
const char* const naive_events_definition =
    "CREATE TABLE naive_events (stream_name text, version bigint, event_id uuid, event_type text, data jsonb)";
const char* const naive_events_monthly_definitions[] = {
    "CREATE TABLE naive_events (stream_name text, version bigint, event_id uuid, event_type text, data jsonb, "
    "created_at timestamptz NOT NULL DEFAULT now()) PARTITION BY RANGE (created_at)",
    "CREATE TABLE naive_events_before PARTITION OF naive_events FOR VALUES FROM (MINVALUE) TO (date_trunc('month', "
    "now()))",
    "CREATE TABLE naive_events_current PARTITION OF naive_events FOR VALUES FROM (date_trunc('month', now())) TO "
    "(MAXVALUE)"};
const char* const monthly_store_definition =
    "SELECT eventstore.use_monthly_partitions(3, (now() - interval '2 months')::date)";
const char* const naive_append_definition = R"sql(
CREATE FUNCTION naive_append(stream text, expected bigint, types text[], data text[], ids text[])
RETURNS TABLE (next_expected_version bigint) LANGUAGE plpgsql AS $$
DECLARE
  current bigint;
BEGIN
  SELECT coalesce(max(version), -1) INTO current FROM naive_events WHERE stream_name = stream;
  IF NOT (expected = -2 OR (expected = -1 AND current = -1) OR (expected = -4 AND current <> -1)
          OR expected = current) THEN
    RAISE EXCEPTION 'wrong expected version' USING ERRCODE = '23V01', DETAIL = 'actual version: ' || current;
  END IF;
  INSERT INTO naive_events
    SELECT stream, current + n, ids[n]::uuid, types[n], data[n]::jsonb FROM generate_subscripts(ids, 1) AS n;
  RETURN QUERY SELECT current + array_length(ids, 1);
END $$;
)sql";

const char* const stored_ours =
    "SELECT s.stream_name, e.version, e.event_id::text FROM eventstore.events e JOIN eventstore.streams s USING "
    "(stream_id)";
const char* const stored_naive = "SELECT stream_name, version, event_id::text FROM naive_events";

long long parse_actual_version(const std::string& detail) {
  const std::string prefix = "actual version: ";
  if (detail.rfind(prefix, 0) != 0) return -100;
  long long version = -100;
  std::from_chars(detail.data() + prefix.size(), detail.data() + detail.size(), version);
  return version;
}

void run_writer(const Settings& settings, const std::string& dsn, int writer, WriterHistory& history) {
  PqSession session(dsn);
  if (!session.connected()) {
    history.unexpected_errors.push_back("connect: " + session.error());
    return;
  }
  std::mt19937 random(static_cast<unsigned>(writer * 7919 + 17));
  std::map<std::string, long long> known_versions;
  int fresh_streams = 0;
  for (int append = 0; append < settings.appends_per_writer; ++append) {
    bool hot = random() % 10 != 0;
    std::string stream = hot ? "hot-" + std::to_string(random() % settings.hot_streams)
                             : "fresh-" + std::to_string(writer) + "-" + std::to_string(fresh_streams++);
    long long known = known_versions.contains(stream) ? known_versions[stream] : -1;
    long long expected;
    int mode = static_cast<int>(random() % 100);
    if (!hot)
      expected = mode < 50 ? -1 : -2;
    else if (mode < 40)
      expected = known;  // exact (or no stream, when never seen)
    else if (mode < 70)
      expected = -2;
    else if (mode < 85)
      expected = -4;
    else
      expected = -1;

    int count = 1 + static_cast<int>(random() % 20);
    std::vector<std::string> types, data, ids;
    for (int i = 0; i < count; ++i) {
      types.push_back(i % 2 == 0 ? "Deposited" : "Withdrawn");
      data.push_back("{\"writer\": " + std::to_string(writer) + ", \"append\": " + std::to_string(append) +
                     ", \"event\": " + std::to_string(i) + ", \"note\": \"a payload of moderate size for the check\"}");
      ids.push_back(random_uuid());
    }
    QueryResult result =
        session.query(settings.control ? append_naive : append_ours,
                      {stream, std::to_string(expected), text_array(types), text_array(data), text_array(ids)});
    if (result.ok) {
      long long next = std::stoll(*result.rows.at(0).at(0));
      history.acknowledged.push_back({stream, ids, next});
      known_versions[stream] = next;
    } else if (result.sqlstate == "23V01") {
      ++history.conflicts;
      long long actual = parse_actual_version(result.detail);
      if (actual < -1)
        ++history.conflicts_without_actual_version;
      else
        known_versions[stream] = actual;
      history.refused_ids.insert(ids.begin(), ids.end());
    } else {
      history.unexpected_errors.push_back(result.sqlstate + ": " + result.message);
      history.refused_ids.insert(ids.begin(), ids.end());
      if (!session.connected()) return;
    }
  }
}

struct Figures {
  long long acknowledged_appends = 0, acknowledged_events = 0, conflicts = 0, stored_events = 0;
  long long lost = 0, dup = 0, gap = 0, phantom = 0, misplaced = 0, stale_stream_rows = 0;
  long long conflicts_without_actual_version = 0, unexpected_errors = 0;
  [[nodiscard]] long long anomalies() const { return lost + dup + gap + phantom + misplaced + stale_stream_rows; }
};

Figures check(PqSession& session, const Settings& settings, const std::vector<WriterHistory>& histories) {
  Figures figures;
  std::map<std::string, std::vector<std::pair<std::string, long long>>> stored_by_id;  // id -> (stream, version)
  std::map<std::string, std::vector<long long>> versions_by_stream;
  QueryResult stored = session.must(settings.control ? stored_naive : stored_ours);
  for (const auto& row : stored.rows) {
    long long version = std::stoll(*row[1]);
    stored_by_id[*row[2]].emplace_back(*row[0], version);
    versions_by_stream[*row[0]].push_back(version);
  }
  figures.stored_events = static_cast<long long>(stored.rows.size());

  std::set<std::string> acknowledged_ids;
  for (const auto& history : histories) {
    figures.conflicts += history.conflicts;
    figures.conflicts_without_actual_version += history.conflicts_without_actual_version;
    figures.unexpected_errors += static_cast<long long>(history.unexpected_errors.size());
    for (const auto& error : history.unexpected_errors) std::fprintf(stderr, "unexpected error: %s", error.c_str());
    for (const auto& append : history.acknowledged) {
      ++figures.acknowledged_appends;
      auto count = static_cast<long long>(append.event_ids.size());
      for (long long i = 0; i < count; ++i) {
        const std::string& id = append.event_ids[static_cast<std::size_t>(i)];
        ++figures.acknowledged_events;
        acknowledged_ids.insert(id);
        auto found = stored_by_id.find(id);
        if (found == stored_by_id.end()) {
          ++figures.lost;
          continue;
        }
        long long reported_version = append.next_expected_version - count + 1 + i;
        if (found->second.front() != std::make_pair(append.stream, reported_version)) ++figures.misplaced;
      }
    }
  }
  for (const auto& [id, places] : stored_by_id) {
    if (places.size() > 1) figures.dup += static_cast<long long>(places.size()) - 1;
    if (!acknowledged_ids.contains(id)) ++figures.phantom;
  }
  // gap: versions missing from 0..highest; dup: a version stored twice.
  for (auto& [stream, versions] : versions_by_stream) {
    auto stored_count = static_cast<long long>(versions.size());
    std::sort(versions.begin(), versions.end());
    long long distinct = static_cast<long long>(std::unique(versions.begin(), versions.end()) - versions.begin());
    figures.dup += stored_count - distinct;
    long long highest = versions[static_cast<std::size_t>(distinct) - 1];
    figures.gap += versions.front() < 0 ? 1 : highest + 1 - distinct;
  }
  if (!settings.control) {
    QueryResult stale = session.must(
        "SELECT count(*) FROM eventstore.streams s WHERE s.version <> "
        "(SELECT max(version) FROM eventstore.events e WHERE e.stream_id = s.stream_id)");
    figures.stale_stream_rows = std::stoll(*stale.rows.at(0).at(0));
  }
  return figures;
}

Settings parse_settings(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    auto next_number = [&] { return i + 1 < argc ? std::atoi(argv[++i]) : 0; };
    if (argument == "--control")
      settings.control = true;
    else if (argument == "--monthly")
      settings.monthly = true;
    else if (argument == "--writers")
      settings.writers = next_number();
    else if (argument == "--appends")
      settings.appends_per_writer = next_number();
    else if (argument == "--hot-streams")
      settings.hot_streams = next_number();
    else {
      std::fprintf(stderr, "usage: %s [--control] [--monthly] [--writers N] [--appends N] [--hot-streams N]\n",
                   argv[0]);
      std::exit(2);
    }
  }
  return settings;
}

}  // namespace
}  // namespace eventstore::e2e

int main(int argc, char** argv) {
  using namespace eventstore::e2e;
  Settings settings = parse_settings(argc, argv);
  std::string database = settings.control ? "eventstore_multi_writer_control" : "eventstore_multi_writer";
  if (settings.monthly) database += "_monthly";
  create_test_database(database);
  std::string dsn = test_dsn(database);
  PqSession session(dsn);
  if (settings.monthly) session.must(monthly_store_definition);
  if (settings.control) {
    if (settings.monthly)
      for (const char* definition : naive_events_monthly_definitions) session.must(definition);
    else
      session.must(naive_events_definition);
    session.must(naive_append_definition);
  }

  std::vector<WriterHistory> histories(static_cast<std::size_t>(settings.writers));
  std::vector<std::thread> writers;
  for (int writer = 0; writer < settings.writers; ++writer)
    writers.emplace_back(run_writer, std::cref(settings), std::cref(dsn), writer,
                         std::ref(histories[static_cast<std::size_t>(writer)]));
  for (auto& writer : writers) writer.join();

  Figures f = check(session, settings, histories);
  std::printf(
      "multi-writer check (%s append%s): writers=%d appends=%d hot_streams=%d acknowledged_appends=%lld "
      "acknowledged_events=%lld conflicts=%lld stored_events=%lld\n"
      "  lost=%lld dup=%lld gap=%lld phantom=%lld misplaced=%lld stale_stream_rows=%lld "
      "conflicts_without_actual_version=%lld unexpected_errors=%lld\n",
      settings.control ? "naive control" : "pg_eventstore", settings.monthly ? ", monthly partitions" : "",
      settings.writers, settings.writers * settings.appends_per_writer, settings.hot_streams, f.acknowledged_appends,
      f.acknowledged_events, f.conflicts, f.stored_events, f.lost, f.dup, f.gap, f.phantom, f.misplaced,
      f.stale_stream_rows, f.conflicts_without_actual_version, f.unexpected_errors);

  if (settings.control) {
    bool caught = f.anomalies() > 0;
    std::printf("  negative control: the checker %s the naive append\n", caught ? "caught" : "did NOT catch");
    return caught ? 0 : 1;
  }
  bool clean = f.anomalies() == 0 && f.unexpected_errors == 0 && f.conflicts_without_actual_version == 0 &&
               f.acknowledged_appends > 0 && f.conflicts > 0;
  std::printf("  %s\n", clean ? "PASS" : "FAIL");
  return clean ? 0 : 1;
}
