// The latency histogram behind the command metrics: percentiles within its
// precision, merging, and concurrent recording.
#include "eventstore/framework/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace eventstore {
namespace {

using std::chrono::microseconds;

TEST(LatencyHistogram, IsEmptyAtFirst) {
  LatencyHistogram histogram;
  EXPECT_EQ(histogram.count(), 0U);
  EXPECT_EQ(histogram.percentile(0.5), microseconds{0});
  EXPECT_EQ(histogram.max(), microseconds{0});
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  LatencyHistogram histogram;
  for (int value = 1; value <= 50; ++value) histogram.record(microseconds{value});
  EXPECT_EQ(histogram.percentile(0.5), microseconds{25});
  EXPECT_EQ(histogram.percentile(1.0), microseconds{50});
  EXPECT_EQ(histogram.percentile(0.0), microseconds{1});
  EXPECT_EQ(histogram.mean(), microseconds{25});
}

TEST(LatencyHistogram, PercentilesAreWithinThreePercent) {
  LatencyHistogram histogram;
  for (int value = 1; value <= 100'000; ++value) histogram.record(microseconds{value});
  for (double quantile : {0.5, 0.9, 0.99, 0.999}) {
    double exact = quantile * 100'000;
    auto reported = static_cast<double>(histogram.percentile(quantile).count());
    EXPECT_GE(reported, exact) << quantile;
    EXPECT_LE(reported, exact * 1.035) << quantile;
  }
  EXPECT_EQ(histogram.max(), microseconds{100'000});
}

TEST(LatencyHistogram, NeverReportsMoreThanTheLargestRecording) {
  LatencyHistogram histogram;
  histogram.record(microseconds{1'000'001});
  EXPECT_EQ(histogram.percentile(0.99), microseconds{1'000'001});
}

TEST(LatencyHistogram, MergesAndCopies) {
  LatencyHistogram first;
  LatencyHistogram second;
  for (int i = 0; i < 10; ++i) first.record(microseconds{10});
  for (int i = 0; i < 10; ++i) second.record(microseconds{20});
  first.merge(second);
  EXPECT_EQ(first.count(), 20U);
  EXPECT_EQ(first.percentile(0.5), microseconds{10});
  EXPECT_EQ(first.percentile(0.51), microseconds{20});
  LatencyHistogram copy = first;
  EXPECT_EQ(copy.count(), 20U);
  EXPECT_EQ(copy.max(), microseconds{20});
}

TEST(LatencyHistogram, ThreadsRecordAtOnce) {
  LatencyHistogram histogram;
  {
    std::vector<std::jthread> threads;
    for (int thread = 0; thread < 4; ++thread)
      threads.emplace_back([&] {
        for (int i = 0; i < 10'000; ++i) histogram.record(microseconds{i % 100});
      });
  }
  EXPECT_EQ(histogram.count(), 40'000U);
  EXPECT_EQ(histogram.max(), microseconds{99});
}

}  // namespace
}  // namespace eventstore
