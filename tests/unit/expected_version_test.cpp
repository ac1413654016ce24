#include <gtest/gtest.h>

#include <limits>

#include "eventstore/core/expected_version.hpp"
#include "eventstore/core/input_check.hpp"
#include "eventstore/store/expected_version.hpp"

namespace eventstore {
namespace {

TEST(ExpectedVersion, NamedKindsHaveTheSqlApiValues) {
  EXPECT_EQ(ExpectedVersion::any().value(), core::expected_any);
  EXPECT_EQ(ExpectedVersion::no_stream().value(), core::expected_no_stream);
  EXPECT_EQ(ExpectedVersion::stream_exists().value(), core::expected_stream_exists);
  EXPECT_EQ(ExpectedVersion::exactly(StreamVersion{0}).value(), 0);
  EXPECT_EQ(ExpectedVersion::exactly(StreamVersion{41}).value(), 41);
}

TEST(ExpectedVersion, ExactlyNoStreamIsNoStream) {
  EXPECT_EQ(ExpectedVersion::exactly(StreamVersion::no_stream()), ExpectedVersion::no_stream());
}

TEST(ExpectedVersion, ExactlyBelowMinusOneNeverBecomesAnotherKind) {
  for (std::int64_t version : {std::int64_t{-2}, std::int64_t{-3}, std::int64_t{-4}, std::int64_t{-1000}}) {
    ExpectedVersion expected = ExpectedVersion::exactly(StreamVersion{version});
    EXPECT_NE(expected, ExpectedVersion::any()) << version;
    EXPECT_NE(expected, ExpectedVersion::stream_exists()) << version;
    EXPECT_TRUE(core::check_expected_version(expected.value()).has_value()) << version;
  }
}

TEST(ExpectedVersion, FromValueAcceptsWhatTheServerAccepts) {
  for (std::int64_t value : {std::int64_t{0}, std::int64_t{9}, std::int64_t{-1}, std::int64_t{-2}, std::int64_t{-4}}) {
    auto expected = ExpectedVersion::from_value(value);
    ASSERT_TRUE(expected) << value;
    EXPECT_EQ(expected->value(), value);
  }
}

TEST(ExpectedVersion, FromValueRejectsTheRest) {
  for (std::int64_t value : {std::int64_t{-3}, std::int64_t{-5}, std::numeric_limits<std::int64_t>::min()}) {
    auto expected = ExpectedVersion::from_value(value);
    ASSERT_FALSE(expected) << value;
    EXPECT_EQ(expected.error().code(), ErrorCode::invalid_expected_version);
    EXPECT_NE(expected.error().message().find(std::to_string(value)), std::string::npos);
  }
}

}  // namespace
}  // namespace eventstore
