#include <gtest/gtest.h>

#include "eventstore/core/expected_version.hpp"

namespace eventstore::core {
namespace {

TEST(CoreExpectedVersionMatches, AnyMatchesEveryState) {
  EXPECT_TRUE(expected_version_matches(expected_any, no_stream_version));
  EXPECT_TRUE(expected_version_matches(expected_any, 0));
  EXPECT_TRUE(expected_version_matches(expected_any, 12345));
}

TEST(CoreExpectedVersionMatches, NoStreamMatchesOnlyAMissingStream) {
  EXPECT_TRUE(expected_version_matches(expected_no_stream, no_stream_version));
  EXPECT_FALSE(expected_version_matches(expected_no_stream, 0));
}

TEST(CoreExpectedVersionMatches, StreamExistsMatchesAnyExistingStream) {
  EXPECT_FALSE(expected_version_matches(expected_stream_exists, no_stream_version));
  EXPECT_TRUE(expected_version_matches(expected_stream_exists, 0));
  EXPECT_TRUE(expected_version_matches(expected_stream_exists, 7));
}

TEST(CoreExpectedVersionMatches, ExactVersionMatchesOnlyItself) {
  EXPECT_TRUE(expected_version_matches(3, 3));
  EXPECT_FALSE(expected_version_matches(3, 2));
  EXPECT_FALSE(expected_version_matches(3, 4));
  EXPECT_FALSE(expected_version_matches(0, no_stream_version));
}

TEST(CoreExpectedVersionMatches, ConstantsAreTheSqlApiValues) {
  static_assert(expected_no_stream == -1 && expected_any == -2 && expected_stream_exists == -4);
  static_assert(no_stream_version == -1);
}

}  // namespace
}  // namespace eventstore::core
