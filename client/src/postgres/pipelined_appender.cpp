#include "pipelined_appender.hpp"

#include <algorithm>
#include <utility>

#include "statements.hpp"

namespace eventstore::detail {
namespace {

// How long a batch may wait for a connection: until its last deadline, as
// long as every append in it has one.
template <class Request>
std::optional<Deadline> latest_deadline(std::span<Request* const> batch) {
  std::optional<Deadline> latest;
  for (const Request* request : batch) {
    if (!request->deadline) return std::nullopt;
    latest = latest ? std::max(*latest, *request->deadline) : *request->deadline;
  }
  return latest;
}

}  // namespace

PipelinedAppender::PipelinedAppender(std::shared_ptr<ConnectionPool<pq::Connection>> pool, std::size_t senders,
                                     std::size_t batch_size)
    : pool_(std::move(pool)), most_senders_(senders), batch_size_(batch_size) {}

Result<AppendResult> PipelinedAppender::append(const StreamName& stream, ExpectedVersion expected,
                                               std::span<const EventData> events) {
  Request request;
  if (auto encoded = encode_append(stream, expected, events, request.parameters); !encoded)
    return std::unexpected(encoded.error());
  request.deadline = DeadlineScope::current();

  std::unique_lock lock{mutex_};
  if (senders_ < most_senders_) {
    ++senders_;
    return send_batch(request, lock);
  }
  queue_.push_back(&request);
  request.stage_changed.wait(lock, [&] { return request.stage == Stage::done || request.stage == Stage::promoted; });
  if (request.stage == Stage::promoted) return send_batch(request, lock);
  return std::move(*request.outcome);
}

std::size_t PipelinedAppender::batch_share(std::size_t in_flight, std::size_t queued, std::size_t senders,
                                           std::size_t batch_size) {
  std::size_t outstanding = in_flight + queued + 1;
  std::size_t share = (outstanding + senders - 1) / senders;
  return std::min({share, queued + 1, batch_size});
}

PipelineCounts PipelinedAppender::counts() const {
  std::lock_guard lock{mutex_};
  PipelineCounts counts = counts_;
  counts.queued = queue_.size();
  return counts;
}

Result<AppendResult> PipelinedAppender::send_batch(Request& own, std::unique_lock<std::mutex>& lock) {
  // A fair share, not all of the queue: each append is its own
  // transaction, which one connection commits one after the other, so a
  // burst is spread over the sending connections for commits to overlap.
  std::vector<Request*> batch{&own};
  std::size_t taken = batch_share(in_flight_, queue_.size(), most_senders_, batch_size_) - 1;
  batch.insert(batch.end(), queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(taken));
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(taken));
  for (Request* request : batch) request->stage = Stage::sending;
  in_flight_ += batch.size();
  ++counts_.batches;
  counts_.appends += batch.size();
  counts_.largest_batch = std::max(counts_.largest_batch, batch.size());

  lock.unlock();
  std::vector<Result<AppendResult>> outcomes = send(batch);
  lock.lock();
  in_flight_ -= batch.size();

  // Notified under the lock: a waiting caller cannot leave (and take its
  // request with it) before the lock is released.
  for (std::size_t i = 1; i < batch.size(); ++i) {
    batch[i]->outcome.emplace(std::move(outcomes[i]));
    batch[i]->stage = Stage::done;
    batch[i]->stage_changed.notify_one();
  }
  if (queue_.empty()) {
    --senders_;
  } else {
    Request* next = queue_.front();
    queue_.pop_front();
    next->stage = Stage::promoted;
    next->stage_changed.notify_one();
  }
  return std::move(outcomes.front());
}

std::vector<Result<AppendResult>> PipelinedAppender::send(std::span<Request* const> batch) {
  std::vector<Result<AppendResult>> outcomes;
  outcomes.reserve(batch.size());
  auto lease = pool_->acquire(latest_deadline(batch));
  if (!lease) {
    for (std::size_t i = 0; i < batch.size(); ++i) outcomes.emplace_back(std::unexpected(lease.error()));
    return outcomes;
  }
  // A batch of one goes as a plain statement: the same round trip without
  // entering and leaving pipeline mode, so a lone caller pays nothing for
  // pipelining. It is the sending thread's own append, so execute() finds
  // its deadline.
  if (batch.size() == 1) {
    auto reply = (*lease)->execute(statement(StatementId::append), batch.front()->parameters);
    outcomes.push_back(reply ? decode_append_result(*reply)
                             : Result<AppendResult>{std::unexpected(std::move(reply.error()))});
    return outcomes;
  }
  std::vector<pq::PipelineItem> items;
  items.reserve(batch.size());
  for (Request* request : batch)
    items.push_back({&statement(StatementId::append), request->parameters.values(), request->parameters.lengths(),
                     request->parameters.formats(), request->deadline});
  std::vector<Result<pq::QueryResult>> replies = (*lease)->execute_pipeline(items);
  for (auto& reply : replies)
    outcomes.push_back(reply ? decode_append_result(*reply)
                             : Result<AppendResult>{std::unexpected(std::move(reply.error()))});
  return outcomes;
}

}  // namespace eventstore::detail
