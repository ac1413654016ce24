// The stream lifecycle: soft and hard deletes, truncation, retention limits,
// and reclaiming what reads no longer show. Implemented by the Client and the
// test kit's InMemoryEventStore with the same semantics.
#pragma once

#include <cstdint>
#include <optional>

#include "eventstore/store/expected_version.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/stream_lifecycle.hpp"
#include "eventstore/store/stream_name.hpp"
#include "eventstore/store/stream_version.hpp"

namespace eventstore {

class StreamAdministration {
 public:
  virtual ~StreamAdministration() = default;

  // Soft delete when the stream is as `expected` says; returns its version
  // at deletion. Deleting again changes nothing.
  [[nodiscard]] Result<StreamVersion> delete_stream(const StreamName& stream,
                                                    ExpectedVersion expected = ExpectedVersion::any()) {
    return do_delete_stream(stream, expected);
  }
  // Hard delete, for good (a name never used too); returns the version it had.
  [[nodiscard]] Result<StreamVersion> tombstone_stream(const StreamName& stream,
                                                       ExpectedVersion expected = ExpectedVersion::any()) {
    return do_tombstone_stream(stream, expected);
  }
  // Hides the versions below `before` (truncation only grows).
  // stream_not_found for a stream that never existed.
  [[nodiscard]] Result<void> truncate_stream(const StreamName& stream, StreamVersion before) {
    return do_truncate_stream(stream, before);
  }
  // Sets both limits (an empty one: no limit). stream_not_found for a stream that never existed.
  [[nodiscard]] Result<void> set_stream_limits(const StreamName& stream, const StreamLimits& limits) {
    return do_set_stream_limits(stream, limits);
  }
  // The lifecycle state; empty for a stream that never existed.
  [[nodiscard]] Result<std::optional<StreamState>> stream_state(const StreamName& stream) {
    return do_stream_state(stream);
  }
  // Deletes up to max_events hidden events (and the snapshots of hidden
  // versions); returns how many events it deleted. Reads do not change.
  [[nodiscard]] Result<std::int64_t> reclaim(std::int32_t max_events = 100'000) { return do_reclaim(max_events); }

 protected:
  StreamAdministration() = default;
  StreamAdministration(const StreamAdministration&) = default;
  StreamAdministration(StreamAdministration&&) = default;
  StreamAdministration& operator=(const StreamAdministration&) = default;
  StreamAdministration& operator=(StreamAdministration&&) = default;

  [[nodiscard]] virtual Result<StreamVersion> do_delete_stream(const StreamName& stream, ExpectedVersion expected) = 0;
  [[nodiscard]] virtual Result<StreamVersion> do_tombstone_stream(const StreamName& stream,
                                                                  ExpectedVersion expected) = 0;
  [[nodiscard]] virtual Result<void> do_truncate_stream(const StreamName& stream, StreamVersion before) = 0;
  [[nodiscard]] virtual Result<void> do_set_stream_limits(const StreamName& stream, const StreamLimits& limits) = 0;
  [[nodiscard]] virtual Result<std::optional<StreamState>> do_stream_state(const StreamName& stream) = 0;
  [[nodiscard]] virtual Result<std::int64_t> do_reclaim(std::int32_t max_events) = 0;

  friend class ForwardingEventStore;
};

}  // namespace eventstore
