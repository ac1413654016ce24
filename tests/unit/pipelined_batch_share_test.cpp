// How many appends a pipelined sender takes: its part of everything not yet
// done, so that under steady load the queue does not keep half of the callers
// waiting a whole round trip, while a burst is still spread over the senders.
#include <gtest/gtest.h>

#include <cstddef>
#include <deque>

#include "postgres/pipelined_appender.hpp"

namespace eventstore::detail {
namespace {

std::size_t share(std::size_t in_flight, std::size_t queued, std::size_t senders, std::size_t batch_size = 64) {
  return PipelinedAppender::batch_share(in_flight, queued, senders, batch_size);
}

TEST(PipelinedBatchShare, ALoneCallerSendsAlone) { EXPECT_EQ(share(0, 0, 10), 1u); }

TEST(PipelinedBatchShare, ABurstIsSpreadOverTheSenders) {
  // 15 callers queued behind the caller that sends, nothing else on the wire.
  EXPECT_EQ(share(0, 15, 10), 2u);
  EXPECT_EQ(share(0, 15, 2), 8u);
}

TEST(PipelinedBatchShare, ASingleSenderTakesEverything) {
  EXPECT_EQ(share(1, 15, 1), 16u);
  EXPECT_EQ(share(0, 200, 1), 64u) << "no more than the batch size";
}

TEST(PipelinedBatchShare, AppendsOnTheWireCountTowardsTheShare) {
  // 64 callers, 10 senders: 54 on the wire, 9 queued behind the one that sends.
  // A part of the queue alone would be 1 + ceil(9 / 10) = 2.
  EXPECT_EQ(share(54, 9, 10), 7u);
  // Never more than are waiting.
  EXPECT_EQ(share(100, 2, 10), 3u);
}

// Callers that append again as soon as their append is done, every batch
// taking as long as any other: the senders finish in the order they started.
// Returns how many callers wait in the queue when a batch is formed, on
// average over the last `rounds` batches.
double callers_left_waiting(std::size_t callers, std::size_t senders, int rounds) {
  std::deque<std::size_t> batches_on_the_wire;
  std::size_t in_flight = 0;
  std::size_t queued = callers;
  auto send = [&] {
    --queued;  // the sender itself
    std::size_t batch = PipelinedAppender::batch_share(in_flight, queued, senders, 64);
    queued -= batch - 1;
    in_flight += batch;
    batches_on_the_wire.push_back(batch);
  };
  for (std::size_t sender = 0; sender < senders; ++sender) send();
  double waiting = 0;
  for (int round = 0; round < 2 * rounds; ++round) {
    std::size_t done = batches_on_the_wire.front();
    batches_on_the_wire.pop_front();
    in_flight -= done;
    send();  // the longest-queued caller is promoted first
    if (round >= rounds) waiting += static_cast<double>(queued);
    queued += done;  // then the callers of the finished batch append again
  }
  return waiting / rounds;
}

TEST(PipelinedBatchShare, UnderSteadyLoadMostCallersAreOnTheWire) {
  // With a part of the queue alone, about half of 64 callers (24) would wait
  // in the queue at every batch, each for a whole round trip.
  double waiting = callers_left_waiting(64, 10, 1000);
  EXPECT_LT(waiting, 64 / 10.0) << "no more than about one sender's share should wait";
}

}  // namespace
}  // namespace eventstore::detail
