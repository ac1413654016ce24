// What the server sees of a client's connections, by application_name:
// how many there are, how many wait for a lock, and ending them the way an
// administrator (or a failover) would.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "sql_session.hpp"

namespace eventstore::testing_support {

// Polls until `condition` holds, at most `limit`; whether it came to hold.
[[nodiscard]] inline bool eventually(const std::function<bool()>& condition,
                                     std::chrono::milliseconds limit = std::chrono::seconds{20}) {
  auto give_up = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{2});
  }
  return true;
}

[[nodiscard]] inline long long count_where(SqlSession& admin, const std::string& condition) {
  auto value = admin.query_value("SELECT count(*) FROM pg_stat_activity WHERE " + condition);
  return value ? std::stoll(*value) : -1;
}

// Backends of the client's connections.
[[nodiscard]] inline long long backends_of(SqlSession& admin, const std::string& application_name) {
  return count_where(admin, "application_name = '" + application_name + "'");
}

// Backends of the client's connections blocked on a lock (e.g. a stream row another session holds).
[[nodiscard]] inline long long waiting_for_a_lock(SqlSession& admin, const std::string& application_name) {
  return count_where(admin, "application_name = '" + application_name + "' AND wait_event_type = 'Lock'");
}

// Terminates every backend of the client and waits until each is gone; how many.
[[nodiscard]] inline long long terminate_backends(SqlSession& admin, const std::string& application_name) {
  auto value = admin.query_value(
      "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000)) FROM pg_stat_activity "
      "WHERE application_name = '" +
      application_name + "'");
  return value ? std::stoll(*value) : -1;
}

// The backend process ids of the client's connections, sorted, comma-separated.
[[nodiscard]] inline std::string backend_ids(SqlSession& admin, const std::string& application_name) {
  return admin
      .query_value(
          "SELECT coalesce(string_agg(pid::text, ',' ORDER BY pid), '') FROM pg_stat_activity "
          "WHERE application_name = '" +
          application_name + "'")
      .value_or("?");
}

}  // namespace eventstore::testing_support
