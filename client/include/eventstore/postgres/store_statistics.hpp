// What operators look at (Client::stats, category_stats, event_type_stats):
// sizes, counters, and what holds readers of the global log back.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace eventstore {

struct StoreStatistics {
  std::int64_t streams = 0;
  std::int64_t events = 0;
  std::int64_t snapshots = 0;
  // Of the streams, events and snapshots tables with their indexes and TOAST.
  std::int64_t bytes = 0;
  // Since the server started; empty unless pg_eventstore is in shared_preload_libraries.
  std::optional<std::int64_t> appends_since_start{};
  std::optional<std::int64_t> events_appended_since_start{};
  std::optional<std::int64_t> conflicts_since_start{};
  // Readers of the global log see the transactions below this one.
  std::uint64_t log_fence = 0;
  // What holds readers back, oldest first: the process of the oldest holder
  // (none for a prepared transaction) and its age.
  std::optional<std::int32_t> oldest_transaction_pid{};
  std::optional<std::chrono::microseconds> oldest_transaction_age{};
  // "appenders" (only appending transactions hold readers), "transactions"
  // (every transaction of the database: the library is not preloaded), or
  // "recovery" (a standby).
  std::string log_fence_source;
  // The oldest holder's kind: "append", "prepared" or "transaction"; empty when none.
  std::string fence_held_by;
  // The gid of the oldest holder when it is a prepared transaction.
  std::optional<std::string> fence_holder_gid{};
  std::int32_t prepared_transactions = 0;
};

struct CategoryStatistics {
  std::string category;
  std::int64_t streams = 0;
  std::int64_t events = 0;
  // Empty when the category's streams hold no events.
  std::optional<std::chrono::sys_time<std::chrono::microseconds>> last_appended_at{};
};

struct EventTypeStatistics {
  std::string event_type;
  std::int64_t events = 0;
  // Stored bytes of data and metadata.
  std::int64_t payload_bytes = 0;
  std::chrono::sys_time<std::chrono::microseconds> last_appended_at{};
};

}  // namespace eventstore
