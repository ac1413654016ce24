// Appends from concurrent callers sent together. A caller that finds a
// sending place free (at most `senders` at once) sends at once; otherwise it
// queues. A sender takes along a fair share of the queue (its part of all
// appends not yet done, those on the wire included; up to the batch size),
// sends it on one pooled connection in pipeline mode, each append in
// its own implicit transaction, hands every caller the reply to its own
// append, and passes its place to the longest-queued caller, who sends the
// next batch. A lone caller therefore waits for no one, and under load many
// appends share a round trip. No thread of its own: callers do the sending.
//
// Under connection loss every append of the batch whose transaction was not
// acknowledged gets connection_lost (retryable: a retry with the same event
// ids is written once); nothing is reported as appended that the server did
// not acknowledge.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "append_events.hpp"
#include "connection_pool.hpp"
#include "eventstore/store/append_result.hpp"
#include "eventstore/store/deadline.hpp"
#include "eventstore/store/event_data.hpp"
#include "eventstore/store/expected_version.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/stream_name.hpp"
#include "pq/connection.hpp"

namespace eventstore::detail {

struct PipelineCounts {
  std::size_t queued = 0;
  std::uint64_t batches = 0;
  std::uint64_t appends = 0;
  std::size_t largest_batch = 0;
};

class PipelinedAppender {
 public:
  PipelinedAppender(std::shared_ptr<ConnectionPool<pq::Connection>> pool, std::size_t senders, std::size_t batch_size);
  PipelinedAppender(const PipelinedAppender&) = delete;
  PipelinedAppender& operator=(const PipelinedAppender&) = delete;
  ~PipelinedAppender() = default;

  // Returns this append's own reply (or failure). The caller's deadline goes with it.
  [[nodiscard]] Result<AppendResult> append(const StreamName& stream, ExpectedVersion expected,
                                            std::span<const EventData> events);

  [[nodiscard]] PipelineCounts counts() const;

  // How many appends a sender sends, its own included: its part of all
  // appends not yet done (`in_flight` on the wire, `queued` waiting, its own),
  // spread over `senders`, and no more than are there or `batch_size`.
  // Counting those on the wire matters: under steady load most appends are
  // on the wire, and a part of the queue alone would leave about half of
  // the callers waiting in it for a whole round trip.
  [[nodiscard]] static std::size_t batch_share(std::size_t in_flight, std::size_t queued, std::size_t senders,
                                               std::size_t batch_size);

 private:
  enum class Stage { queued, sending, done, promoted };

  // Lives on its caller's stack; every field but `parameters` (read while
  // the caller waits) is touched under the mutex only.
  struct Request {
    AppendParameters parameters;
    std::optional<Deadline> deadline;
    Stage stage = Stage::queued;
    std::optional<Result<AppendResult>> outcome;
    std::condition_variable stage_changed;
  };

  // Sends `own` and what is queued behind it, completes them all, and passes
  // the sending place on. Called and returns with `lock` held.
  [[nodiscard]] Result<AppendResult> send_batch(Request& own, std::unique_lock<std::mutex>& lock);
  [[nodiscard]] std::vector<Result<AppendResult>> send(std::span<Request* const> batch);

  std::shared_ptr<ConnectionPool<pq::Connection>> pool_;
  const std::size_t most_senders_;
  const std::size_t batch_size_;
  mutable std::mutex mutex_;
  std::size_t senders_ = 0;
  std::size_t in_flight_ = 0;  // appends in batches being sent
  std::deque<Request*> queue_;
  PipelineCounts counts_;
};

}  // namespace eventstore::detail
