// W3C trace context: the traceparent header's rules, child spans, new traces.
#include "eventstore/framework/trace_context.hpp"

#include <gtest/gtest.h>

#include <set>

namespace eventstore {
namespace {

constexpr const char* example = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(TraceContext, ParsesAndPrintsATraceparent) {
  auto context = TraceContext::parse(example);
  ASSERT_TRUE(context);
  EXPECT_EQ(context->trace_id_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(context->span_id_hex(), "00f067aa0ba902b7");
  EXPECT_TRUE(context->sampled());
  EXPECT_EQ(context->to_traceparent(), example);
}

TEST(TraceContext, RefusesWhatBreaksTheRules) {
  for (const char* bad : {
           "",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",     // short
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",  // version 00 has no more fields
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",    // upper case
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",    // zero trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",    // zero span id
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // version ff
           "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // separator
           "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",    // not hex
       })
    EXPECT_FALSE(TraceContext::parse(bad)) << bad;
}

TEST(TraceContext, ReadsLaterVersionsAsVersionZero) {
  auto context = TraceContext::parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future");
  ASSERT_TRUE(context);
  EXPECT_EQ(context->to_traceparent(), example);
}

TEST(TraceContext, AChildKeepsTheTraceAndFlagsWithANewSpan) {
  auto parent = *TraceContext::parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  auto child = parent.child();
  EXPECT_EQ(child.trace_id(), parent.trace_id());
  EXPECT_NE(child.span_id(), parent.span_id());
  EXPECT_FALSE(child.sampled());
  EXPECT_TRUE(TraceContext::parse(child.to_traceparent()));
}

TEST(TraceContext, NewTracesAreSampledAndDistinct) {
  std::set<std::string> traces;
  for (int i = 0; i < 100; ++i) {
    auto trace = TraceContext::new_trace();
    EXPECT_TRUE(trace.sampled());
    EXPECT_EQ(TraceContext::parse(trace.to_traceparent()), trace);
    traces.insert(trace.trace_id_hex());
  }
  EXPECT_EQ(traces.size(), 100U);
}

}  // namespace
}  // namespace eventstore
