#include <gtest/gtest.h>

#include <iterator>
#include <ranges>

#include "eventstore/store/stream_event_range.hpp"

namespace eventstore {
namespace {

// The lazy range works with range-for and the standard range algorithms.
static_assert(std::input_iterator<StreamEventRange::Iterator>);
static_assert(std::sentinel_for<std::default_sentinel_t, StreamEventRange::Iterator>);
static_assert(std::ranges::input_range<StreamEventRange>);
static_assert(std::same_as<std::ranges::range_value_t<StreamEventRange>, Result<RecordedEvent>>);
// Single-pass and owning its page: movable, never copied.
static_assert(std::movable<StreamEventRange> && !std::copyable<StreamEventRange>);

TEST(StreamEventRangeOptions, DefaultsReadForwardFromTheStart) {
  StreamEventRangeOptions options;
  EXPECT_FALSE(options.from.has_value());
  EXPECT_EQ(options.direction, ReadDirection::forward);
  EXPECT_GT(options.page_size, 0);
}

}  // namespace
}  // namespace eventstore
