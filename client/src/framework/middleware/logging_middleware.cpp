#include "eventstore/framework/middleware/logging_middleware.hpp"

#include <memory>
#include <mutex>
#include <ostream>

namespace eventstore {
namespace {

LogLevel level_of(const CommandResult<CommandOutcome>& result) {
  if (result) return LogLevel::info;
  auto kind = result.error().kind();
  return kind == CommandErrorKind::rejected || kind == CommandErrorKind::invalid_command ? LogLevel::warning
                                                                                         : LogLevel::error;
}

}  // namespace

std::string_view to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::info: return "info";
    case LogLevel::warning: return "warning";
    case LogLevel::error: return "error";
  }
  return "unknown";
}

std::string CommandLogEntry::describe() const {
  std::string line{command_type};
  line += ' ';
  line += context.command_id;
  if (result) {
    line += result->repeated ? " repeated" : " succeeded";
  } else {
    line += " failed";
  }
  line += " in " + std::to_string(duration.count()) + " us";
  if (result) {
    if (!result->stream.empty()) line += ": " + result->stream + " v" + std::to_string(result->version.value());
    for (const auto& type : result->event_types) line += " +" + type;
    if (result->conflicts > 0)
      line += " (" + std::to_string(result->conflicts) + (result->conflicts == 1 ? " conflict)" : " conflicts)");
  } else {
    line += ": " + result.error().describe();
  }
  if (context.correlation_id != context.command_id) line += " [correlation " + context.correlation_id + "]";
  return line;
}

CommandMiddleware logging_middleware(CommandLogger logger) {
  return [logger = std::move(logger)](CommandInvocation& invocation, const NextStep& next) {
    auto started = std::chrono::steady_clock::now();
    auto result = next();
    auto duration = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    logger(CommandLogEntry{level_of(result), invocation.command_type, invocation.context, result, duration});
    return result;
  };
}

CommandLogger stream_logger(std::ostream& out, LogLevel minimum) {
  auto mutex = std::make_shared<std::mutex>();
  return [&out, minimum, mutex](const CommandLogEntry& entry) {
    if (entry.level < minimum) return;
    std::string line{to_string(entry.level)};
    line += ' ';
    line += entry.describe();
    line += '\n';
    std::lock_guard lock{*mutex};
    out << line << std::flush;
  };
}

}  // namespace eventstore
