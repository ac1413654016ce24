// What an append expects of the stream (the EventStoreDB convention): any
// state, no stream yet, an existing stream, or exactly one version. When the
// stream is in another state the append fails with wrong_expected_version and
// writes nothing.
#pragma once

#include <cstdint>
#include <limits>

#include "eventstore/store/result.hpp"
#include "eventstore/store/stream_version.hpp"

namespace eventstore {

class ExpectedVersion {
 public:
  [[nodiscard]] static constexpr ExpectedVersion any() noexcept { return ExpectedVersion{-2}; }
  [[nodiscard]] static constexpr ExpectedVersion no_stream() noexcept { return ExpectedVersion{-1}; }
  [[nodiscard]] static constexpr ExpectedVersion stream_exists() noexcept { return ExpectedVersion{-4}; }
  // The stream's last event has exactly this version. exactly(StreamVersion::no_stream())
  // is no_stream(); a version below -1 makes an expected version that append
  // rejects with invalid_expected_version (it must never turn into any()).
  [[nodiscard]] static constexpr ExpectedVersion exactly(StreamVersion version) noexcept {
    return ExpectedVersion{version.value() >= -1 ? version.value() : invalid_value};
  }
  // The number the SQL API takes (n >= 0, -1, -2 or -4); invalid_expected_version otherwise.
  [[nodiscard]] static Result<ExpectedVersion> from_value(std::int64_t value);

  // The number sent to the server.
  [[nodiscard]] constexpr std::int64_t value() const noexcept { return value_; }

  friend constexpr bool operator==(ExpectedVersion, ExpectedVersion) noexcept = default;

 private:
  static constexpr std::int64_t invalid_value = std::numeric_limits<std::int64_t>::min();

  constexpr explicit ExpectedVersion(std::int64_t value) noexcept : value_(value) {}

  std::int64_t value_;
};

}  // namespace eventstore
