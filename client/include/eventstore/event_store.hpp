// What every event store offers: the client on a real server and the
// in-memory store of the test kit implement it with the same semantics, so
// repositories, command handlers and projections work on either.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/append_result.hpp"
#include "eventstore/event_data.hpp"
#include "eventstore/expected_version.hpp"
#include "eventstore/log_position.hpp"
#include "eventstore/read_stream_options.hpp"
#include "eventstore/recorded_event.hpp"
#include "eventstore/result.hpp"
#include "eventstore/stream_event_range.hpp"
#include "eventstore/stream_name.hpp"
#include "eventstore/stream_version.hpp"

namespace eventstore {

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Appends the events atomically when the stream is as `expected` says.
  // The same call repeated (same ids, types, data, metadata) returns the
  // original result and writes nothing; an id already used by another event
  // is event_id_reused.
  [[nodiscard]] virtual Result<AppendResult> append(const StreamName& stream, ExpectedVersion expected,
                                                    std::span<const EventData> events) = 0;
  [[nodiscard]] Result<AppendResult> append(const StreamName& stream, ExpectedVersion expected,
                                            const EventData& event) {
    return append(stream, expected, std::span<const EventData>{&event, 1});
  }

  // One page of a stream. A stream without events gives an empty page.
  [[nodiscard]] virtual Result<std::vector<RecordedEvent>> read_stream(const StreamName& stream,
                                                                       const ReadStreamOptions& options = {}) = 0;

  // The whole stream (or from options.from on), fetched a page at a time
  // with read_stream as it is iterated. The store must outlive the range.
  [[nodiscard]] StreamEventRange stream(const StreamName& stream, const StreamEventRangeOptions& options = {}) {
    return StreamEventRange{this, stream, options};
  }

  // Up to max_count events of the global log after `after` (from the start
  // without it), in commit-safe order; only the given types when any are
  // given. Resume with the log_position of the last event returned. An empty
  // page means the reader has caught up.
  [[nodiscard]] virtual Result<std::vector<RecordedEvent>> read_all(
      std::optional<LogPosition> after, std::int32_t max_count, const std::vector<std::string>& event_types = {}) = 0;

  // read_all restricted to the streams of one category (the part of a stream
  // name before its first '-'; a category contains no '-').
  [[nodiscard]] virtual Result<std::vector<RecordedEvent>> read_category(
      std::string_view category, std::optional<LogPosition> after, std::int32_t max_count,
      const std::vector<std::string>& event_types = {}) = 0;

  // The version of the stream's last event; StreamVersion::no_stream() (-1) when it has none.
  [[nodiscard]] virtual Result<StreamVersion> stream_version(const StreamName& stream) = 0;

 protected:
  EventStore() = default;
  EventStore(const EventStore&) = default;
  EventStore(EventStore&&) = default;
  EventStore& operator=(const EventStore&) = default;
  EventStore& operator=(EventStore&&) = default;
};

}  // namespace eventstore
