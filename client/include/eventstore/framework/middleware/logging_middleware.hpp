// Middleware that reports every command to a logger callback once it is
// done: which command, its ids, how it ended and how long it took. Plug in
// any logging library through the callback, or write lines to a stream:
//
//   bus.use(eventstore::logging_middleware(eventstore::stream_logger(std::clog, eventstore::LogLevel::warning)));
//   bus.use(eventstore::logging_middleware([&](const eventstore::CommandLogEntry& entry) {
//     spdlog::log(to_spdlog(entry.level), "{}", entry.describe());
//   }));
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include "eventstore/framework/command_context.hpp"
#include "eventstore/framework/command_error.hpp"
#include "eventstore/framework/command_middleware.hpp"
#include "eventstore/framework/command_outcome.hpp"

namespace eventstore {

// info: succeeded; warning: rejected by a rule or by validation; error: anything else.
enum class LogLevel { info, warning, error };

[[nodiscard]] std::string_view to_string(LogLevel level) noexcept;

struct CommandLogEntry {
  LogLevel level;
  std::string_view command_type;
  const CommandContext& context;
  const CommandResult<CommandOutcome>& result;
  std::chrono::microseconds duration;

  // One line: "ShipOrder 0190...-7f3a succeeded in 812 us: order-42 v3 +OrderShipped (1 conflict)".
  [[nodiscard]] std::string describe() const;
};

using CommandLogger = std::function<void(const CommandLogEntry&)>;

[[nodiscard]] CommandMiddleware logging_middleware(CommandLogger logger);

// Writes entries of `minimum` level or above to `out`, one line each,
// "<level> <describe()>"; lines of concurrent commands never interleave.
// `out` must outlive the logger.
[[nodiscard]] CommandLogger stream_logger(std::ostream& out, LogLevel minimum = LogLevel::info);

}  // namespace eventstore
