// A connection to an event store: append to streams, read them a page at a
// time or lazily, read the global log and categories from a checkpoint.
//
// A Client owns one libpq connection and is NOT thread-safe: use one Client
// per thread (a pool comes later). Calls run in autocommit, each on its own;
// statements are prepared once per connection. After connection_lost the next
// call reconnects first, so a retryable error is retried by calling again; a
// retried append with the same event ids is written only once.
#pragma once

#include <cstdint>
#include <memory>
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

namespace detail {
class Connection;
}

class Client {
 public:
  // `dsn` is a libpq connection string or URI ("host=... dbname=..." or
  // "postgresql://..."). invalid_argument when it cannot be parsed,
  // connection_lost when the server cannot be reached or refuses the login.
  [[nodiscard]] static Result<Client> connect(std::string_view dsn);

  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client();

  // Appends the events atomically when the stream is as `expected` says.
  // The same call repeated (same ids, types, data, metadata) returns the
  // original result and writes nothing; an id already used by another event
  // is event_id_reused.
  [[nodiscard]] Result<AppendResult> append(const StreamName& stream, ExpectedVersion expected,
                                            std::span<const EventData> events);
  [[nodiscard]] Result<AppendResult> append(const StreamName& stream, ExpectedVersion expected,
                                            const EventData& event);

  // One page of a stream. A stream without events gives an empty page.
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_stream(const StreamName& stream,
                                                               const ReadStreamOptions& options = {});

  // The whole stream (or from options.from on), fetched a page at a time as it is iterated.
  [[nodiscard]] StreamEventRange stream(const StreamName& stream, const StreamEventRangeOptions& options = {});

  // Up to max_count events of the global log after `after` (from the start
  // without it), in commit-safe order; only the given types when any are
  // given. Resume with the log_position of the last event returned. An empty
  // page means the reader has caught up.
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_all(std::optional<LogPosition> after,
                                                            std::int32_t max_count,
                                                            const std::vector<std::string>& event_types = {});

  // read_all restricted to the streams of one category (the part of a stream
  // name before its first '-'; a category contains no '-').
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_category(std::string_view category,
                                                                 std::optional<LogPosition> after,
                                                                 std::int32_t max_count,
                                                                 const std::vector<std::string>& event_types = {});

  // The version of the stream's last event; StreamVersion::no_stream() (-1) when it has none.
  [[nodiscard]] Result<StreamVersion> stream_version(const StreamName& stream);

 private:
  explicit Client(std::unique_ptr<detail::Connection> connection) noexcept;

  // Null only in a moved-from Client.
  std::unique_ptr<detail::Connection> connection_;
};

}  // namespace eventstore
