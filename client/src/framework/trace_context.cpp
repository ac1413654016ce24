#include "eventstore/framework/trace_context.hpp"

#include <algorithm>
#include <random>
#include <span>

namespace eventstore {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

// Ids only need to be unique, not secret; one generator per thread keeps them cheap.
std::mt19937_64& random_engine() {
  thread_local std::mt19937_64 engine{[] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64{seed};
  }()};
  return engine;
}

template <std::size_t Size>
std::array<std::uint8_t, Size> random_nonzero_id() {
  std::array<std::uint8_t, Size> id{};
  do {
    for (std::size_t i = 0; i < Size; i += 8) {
      std::uint64_t bits = random_engine()();
      for (std::size_t j = 0; j < 8 && i + j < Size; ++j) id[i + j] = static_cast<std::uint8_t>(bits >> (8 * j));
    }
  } while (std::ranges::all_of(id, [](std::uint8_t byte) { return byte == 0; }));
  return id;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  std::string text;
  text.reserve(bytes.size() * 2);
  for (std::uint8_t byte : bytes) {
    text.push_back(hex_digits[byte >> 4]);
    text.push_back(hex_digits[byte & 0x0f]);
  }
  return text;
}

// Lower-case hex only, as the specification requires.
std::optional<std::uint8_t> hex_value(char digit) {
  if (digit >= '0' && digit <= '9') return static_cast<std::uint8_t>(digit - '0');
  if (digit >= 'a' && digit <= 'f') return static_cast<std::uint8_t>(digit - 'a' + 10);
  return std::nullopt;
}

bool parse_hex(std::string_view text, std::span<std::uint8_t> bytes) {
  if (text.size() != bytes.size() * 2) return false;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto high = hex_value(text[2 * i]);
    auto low = hex_value(text[2 * i + 1]);
    if (!high || !low) return false;
    bytes[i] = static_cast<std::uint8_t>((*high << 4) | *low);
  }
  return true;
}

}  // namespace

TraceContext TraceContext::new_trace() { return TraceContext{random_nonzero_id<16>(), random_nonzero_id<8>(), 0x01}; }

std::optional<TraceContext> TraceContext::parse(std::string_view traceparent) {
  // version "-" trace-id "-" parent-id "-" flags; later versions may append "-" and more.
  constexpr std::size_t length = 55;
  if (traceparent.size() < length) return std::nullopt;
  std::array<std::uint8_t, 1> version{};
  if (!parse_hex(traceparent.substr(0, 2), version) || version[0] == 0xff) return std::nullopt;
  if (version[0] == 0x00 ? traceparent.size() != length : traceparent.size() > length && traceparent[length] != '-')
    return std::nullopt;
  if (traceparent[2] != '-' || traceparent[35] != '-' || traceparent[52] != '-') return std::nullopt;
  TraceId trace_id{};
  SpanId span_id{};
  std::array<std::uint8_t, 1> flags{};
  if (!parse_hex(traceparent.substr(3, 32), trace_id) || !parse_hex(traceparent.substr(36, 16), span_id) ||
      !parse_hex(traceparent.substr(53, 2), flags))
    return std::nullopt;
  auto all_zero = [](const auto& bytes) { return std::ranges::all_of(bytes, [](std::uint8_t b) { return b == 0; }); };
  if (all_zero(trace_id) || all_zero(span_id)) return std::nullopt;
  return TraceContext{trace_id, span_id, flags[0]};
}

TraceContext TraceContext::child() const { return TraceContext{trace_id_, random_nonzero_id<8>(), flags_}; }

std::string TraceContext::trace_id_hex() const { return to_hex(trace_id_); }

std::string TraceContext::span_id_hex() const { return to_hex(span_id_); }

std::string TraceContext::to_traceparent() const {
  std::array<std::uint8_t, 1> flags{flags_};
  return "00-" + trace_id_hex() + "-" + span_id_hex() + "-" + to_hex(flags);
}

}  // namespace eventstore
