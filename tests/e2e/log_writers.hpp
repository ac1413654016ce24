// Concurrent writers for the end-to-end checks: threads that append batches
// of 1 to 10 events to random streams of the categories alpha, beta and gamma
// (64 streams) through eventstore.append with libpq, until `target` events
// are stored. With outbox_every = k > 0, writers 0, k, 2k, ... first insert a
// row into the table `outbox` in the same transaction, so that they hold a
// transaction id before they append.
#pragma once

#include <string>

namespace eventstore::e2e {

struct WriterTotals {
  long long appended = 0;
  int failures = 0;  // appends that failed with anything but a retryable 40001
};

[[nodiscard]] WriterTotals run_log_writers(const std::string& dsn, int writers, long long target, int outbox_every);

}  // namespace eventstore::e2e
