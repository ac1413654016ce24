// A W3C trace context (https://www.w3.org/TR/trace-context/), as the
// traceparent header carries it: "00-<trace id: 32 hex>-<span id: 16 hex>-<flags: 2 hex>".
// The command side keeps the traceparent of each command's span in the
// metadata of the events it writes, so that whoever reads them continues the
// same trace.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace eventstore {

class TraceContext {
 public:
  using TraceId = std::array<std::uint8_t, 16>;
  using SpanId = std::array<std::uint8_t, 8>;

  // A new trace, sampled: random trace and span ids.
  [[nodiscard]] static TraceContext new_trace();
  // A traceparent header; nullopt when it breaks the rules (wrong length or
  // separators, upper-case or non-hex digits, an all-zero id, version ff).
  // Versions after 00 are read as 00, as the specification asks.
  [[nodiscard]] static std::optional<TraceContext> parse(std::string_view traceparent);

  // A span inside this one: the same trace and flags, a new span id.
  [[nodiscard]] TraceContext child() const;

  [[nodiscard]] const TraceId& trace_id() const noexcept { return trace_id_; }
  [[nodiscard]] const SpanId& span_id() const noexcept { return span_id_; }
  [[nodiscard]] std::uint8_t flags() const noexcept { return flags_; }
  [[nodiscard]] bool sampled() const noexcept { return (flags_ & 0x01) != 0; }

  [[nodiscard]] std::string trace_id_hex() const;
  [[nodiscard]] std::string span_id_hex() const;
  // The traceparent header, version 00.
  [[nodiscard]] std::string to_traceparent() const;

  friend bool operator==(const TraceContext&, const TraceContext&) = default;

 private:
  TraceContext(const TraceId& trace_id, const SpanId& span_id, std::uint8_t flags) noexcept
      : trace_id_(trace_id), span_id_(span_id), flags_(flags) {}

  TraceId trace_id_;
  SpanId span_id_;
  std::uint8_t flags_;
};

}  // namespace eventstore
