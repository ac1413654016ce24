#include "eventstore/store/event_id.hpp"

#include <sys/random.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>
#include <random>
#include <span>

#include "eventstore/core/uuid_v7.hpp"

namespace eventstore {
namespace {

// Random bytes from the kernel, fetched a block at a time (one system call
// per 409 ids); a seeded engine takes over if getrandom is unavailable. A
// forked child drops the bytes it inherited, or it would make the parent's ids.
class RandomBytes {
 public:
  void fill(std::span<std::uint8_t> out) {
    if (pid_t process = getpid(); process != owner_) {
      owner_ = process;
      next_ = block_.size();
      fallback_.reset();
    }
    for (std::uint8_t& byte : out) {
      if (next_ == block_.size()) refill();
      byte = block_[next_++];
    }
  }

 private:
  void refill() {
    std::size_t filled = 0;
    while (filled < block_.size()) {
      ssize_t got = getrandom(block_.data() + filled, block_.size() - filled, 0);
      if (got <= 0) break;
      filled += static_cast<std::size_t>(got);
    }
    if (filled < block_.size()) {
      if (!fallback_) fallback_.emplace(std::random_device{}());
      for (std::size_t i = filled; i < block_.size(); ++i) block_[i] = static_cast<std::uint8_t>((*fallback_)());
    }
    next_ = 0;
  }

  std::array<std::uint8_t, 4096> block_{};
  std::size_t next_ = block_.size();
  std::optional<std::mt19937_64> fallback_;
  pid_t owner_ = 0;
};

// One generator for the process keeps every id it makes strictly increasing.
struct IdSource {
  std::mutex mutex;
  core::UuidV7Generator generator;
  RandomBytes random;
};

IdSource& id_source() {
  static IdSource source;
  return source;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_hyphen_position(std::size_t i) noexcept { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

EventId EventId::generate() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto milliseconds = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  IdSource& source = id_source();
  std::array<std::uint8_t, 10> random;
  std::lock_guard lock(source.mutex);
  source.random.fill(random);
  return EventId{source.generator.next(milliseconds, random)};
}

Result<EventId> EventId::parse(std::string_view text) {
  auto invalid = [&] {
    return std::unexpected(
        Error{ErrorCode::invalid_argument, "event id \"" + std::string{text.substr(0, 64)} +
                                               "\" is not a UUID of the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"});
  };
  if (text.size() != 36) return invalid();
  Bytes bytes{};
  std::size_t byte = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (is_hyphen_position(i)) {
      if (text[i] != '-') return invalid();
      ++i;
      continue;
    }
    int high = hex_value(text[i]);
    int low = hex_value(text[i + 1]);
    if (high < 0 || low < 0) return invalid();
    bytes[byte++] = static_cast<std::uint8_t>((high << 4) | low);
    i += 2;
  }
  return EventId{bytes};
}

std::string EventId::to_string() const {
  static constexpr char digits[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < bytes_.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(digits[bytes_[i] >> 4]);
    text.push_back(digits[bytes_[i] & 0x0F]);
  }
  return text;
}

}  // namespace eventstore
