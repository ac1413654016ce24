// Tracing: each command gets a span, a child of the caller's trace or a new
// one, and its events carry the span's traceparent.
#include "eventstore/framework/middleware/tracing_middleware.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "../../client/examples/orders/orders.hpp"
#include "eventstore/framework/trace_context.hpp"
#include "eventstore/testing/in_memory_event_store.hpp"

namespace eventstore {
namespace {

class TracingMiddlewareTest : public ::testing::Test {
 protected:
  TracingMiddlewareTest() {
    bus.use(tracing_middleware([this](const CommandSpan& span) { spans.push_back(span); }));
    orders::handle_order_commands(bus, repository);
  }

  testing::InMemoryEventStore store;
  EventTypeRegistry registry = orders::order_event_types();
  Repository<orders::Order> repository{store, registry};
  CommandBus bus;
  std::vector<CommandSpan> spans;
};

TEST_F(TracingMiddlewareTest, ContinuesTheCallersTraceIntoTheEvents) {
  const std::string caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  ASSERT_TRUE(bus.send(orders::PlaceOrder{"1", "c-7", "EUR"}, {.traceparent = caller}));
  ASSERT_EQ(spans.size(), 1U);
  const CommandSpan& span = spans.front();
  EXPECT_EQ(span.name, "command PlaceOrder");
  EXPECT_EQ(span.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(span.parent_span_id, "00f067aa0ba902b7");
  EXPECT_NE(span.span_id, "00f067aa0ba902b7");
  EXPECT_TRUE(span.succeeded);

  auto events = store.recorded_events();
  ASSERT_EQ(events.size(), 1U);
  auto metadata = EventMetadata::parse(events.front().metadata);
  EXPECT_EQ(metadata.traceparent, span.traceparent);
  auto context = TraceContext::parse(metadata.traceparent);
  ASSERT_TRUE(context);
  EXPECT_EQ(context->span_id_hex(), span.span_id);
  EXPECT_EQ(metadata.command_id, span.command_id);
}

TEST_F(TracingMiddlewareTest, StartsATraceWhenTheCallerHasNoneOrABadOne) {
  ASSERT_TRUE(bus.send(orders::PlaceOrder{"1", "c-7", "EUR"}));
  ASSERT_FALSE(bus.send(orders::ShipOrder{"1", "DHL"}, {.traceparent = "garbage"}));
  ASSERT_EQ(spans.size(), 2U);
  EXPECT_TRUE(spans[0].parent_span_id.empty());
  EXPECT_TRUE(spans[1].parent_span_id.empty());
  EXPECT_NE(spans[0].trace_id, spans[1].trace_id);
  EXPECT_FALSE(spans[1].succeeded);
  EXPECT_EQ(spans[1].error, "rejected: order is not paid");
}

}  // namespace
}  // namespace eventstore
