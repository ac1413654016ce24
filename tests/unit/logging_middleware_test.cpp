// The logging middleware: one entry per command with its level, ids, outcome
// and duration; the stream logger writes whole lines from the minimum level.
#include "eventstore/framework/middleware/logging_middleware.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <vector>

#include "eventstore/framework/command_bus.hpp"

namespace eventstore {
namespace {

struct Move {
  int outcome = 0;
};

class LoggingMiddlewareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bus.handle<Move>([](const Move& move) -> CommandResult<CommandOutcome> {
      if (move.outcome == 1) return std::unexpected(CommandError::rejected(reject("blocked")));
      if (move.outcome == 2) return std::unexpected(CommandError::store_error(Error{ErrorCode::timeout, "slow"}));
      return CommandOutcome{.stream = "piece-1", .version = StreamVersion{3}, .event_types = {"Moved"}, .conflicts = 2};
    });
  }

  CommandBus bus;
};

TEST_F(LoggingMiddlewareTest, ReportsEveryCommandWithItsLevel) {
  std::vector<std::string> lines;
  std::vector<LogLevel> levels;
  bus.use(logging_middleware([&](const CommandLogEntry& entry) {
    levels.push_back(entry.level);
    lines.push_back(entry.describe());
  }));
  (void)bus.send(Move{0}, {.command_id = "c-1"});
  (void)bus.send(Move{1}, {.command_id = "c-2", .correlation_id = "flow-9"});
  (void)bus.send(Move{2}, {.command_id = "c-3"});
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(levels, (std::vector<LogLevel>{LogLevel::info, LogLevel::warning, LogLevel::error}));
  EXPECT_TRUE(lines[0].starts_with("Move c-1 succeeded in ")) << lines[0];
  EXPECT_TRUE(lines[0].ends_with(": piece-1 v3 +Moved (2 conflicts)")) << lines[0];
  EXPECT_TRUE(lines[1].ends_with(": rejected: blocked [correlation flow-9]")) << lines[1];
  EXPECT_TRUE(lines[2].ends_with(": store_error: timeout: slow")) << lines[2];
}

TEST_F(LoggingMiddlewareTest, TheStreamLoggerWritesFromItsMinimumLevel) {
  std::ostringstream out;
  bus.use(logging_middleware(stream_logger(out, LogLevel::warning)));
  (void)bus.send(Move{0}, {.command_id = "c-1"});
  (void)bus.send(Move{1}, {.command_id = "c-2"});
  const std::string text = out.str();
  EXPECT_TRUE(text.starts_with("warning Move c-2 failed in ")) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

}  // namespace
}  // namespace eventstore
