// Options a Client cannot work with are refused up front with invalid_argument.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "postgres/client_options_check.hpp"

namespace eventstore::detail {
namespace {

using namespace std::chrono_literals;

TEST(ClientOptionsCheck, TheDefaultsAreValid) { EXPECT_TRUE(check_client_options({})); }

TEST(ClientOptionsCheck, EdgesThatWork) {
  EXPECT_TRUE(check_client_options({.pool = {.min_size = 0, .max_size = 1}}));
  EXPECT_TRUE(check_client_options({.pool = {.min_size = 4, .max_size = 4}}));
  EXPECT_TRUE(check_client_options({.pool = {.checkout_timeout = 0ms, .health_check_after_idle = 0ms}}));
  EXPECT_TRUE(check_client_options(
      {.pool = {.max_size = 3}, .pipelined_appends = true, .pipeline_connections = 3, .pipeline_batch_size = 1}));
  // The pipeline settings matter only when appends are pipelined.
  EXPECT_TRUE(check_client_options({.pool = {.max_size = 1}, .pipeline_connections = 2}));
}

TEST(ClientOptionsCheck, OutOfRangeIsInvalidArgument) {
  struct Case {
    std::string what;
    ClientOptions options;
  };
  const std::vector<Case> cases = {
      {"max_size 0", {.pool = {.min_size = 0, .max_size = 0}}},
      {"min above max", {.pool = {.min_size = 3, .max_size = 2}}},
      {"negative checkout timeout", {.pool = {.checkout_timeout = -1ms}}},
      {"negative health check", {.pool = {.health_check_after_idle = -1ms}}},
      {"zero idle timeout", {.pool = {.idle_timeout = 0ms}}},
      {"zero lifetime", {.pool = {.max_lifetime = 0ms}}},
      {"no pipeline connection", {.pipelined_appends = true, .pipeline_connections = 0}},
      {"more pipeline connections than the pool",
       {.pool = {.max_size = 2}, .pipelined_appends = true, .pipeline_connections = 3}},
      {"empty batches", {.pipelined_appends = true, .pipeline_batch_size = 0}},
  };
  for (const Case& entry : cases) {
    auto checked = check_client_options(entry.options);
    ASSERT_FALSE(checked) << entry.what;
    EXPECT_EQ(checked.error().code(), ErrorCode::invalid_argument) << entry.what;
    EXPECT_FALSE(checked.error().retryable());
  }
}

}  // namespace
}  // namespace eventstore::detail
