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
#include "eventstore/event_store.hpp"
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

// The event store on a PostgreSQL server with pg_eventstore (see EventStore
// for what each call does).
class Client final : public EventStore {
 public:
  // `dsn` is a libpq connection string or URI ("host=... dbname=..." or
  // "postgresql://..."). invalid_argument when it cannot be parsed,
  // connection_lost when the server cannot be reached or refuses the login.
  [[nodiscard]] static Result<Client> connect(std::string_view dsn);

  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client() override;

  using EventStore::append;
  [[nodiscard]] Result<AppendResult> append(const StreamName& stream, ExpectedVersion expected,
                                            std::span<const EventData> events) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_stream(const StreamName& stream,
                                                               const ReadStreamOptions& options = {}) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_all(std::optional<LogPosition> after,
                                                            std::int32_t max_count,
                                                            const std::vector<std::string>& event_types = {}) override;
  [[nodiscard]] Result<std::vector<RecordedEvent>> read_category(std::string_view category,
                                                                 std::optional<LogPosition> after,
                                                                 std::int32_t max_count,
                                                                 const std::vector<std::string>& event_types = {}) override;
  [[nodiscard]] Result<StreamVersion> stream_version(const StreamName& stream) override;

 private:
  explicit Client(std::unique_ptr<detail::Connection> connection) noexcept;

  // Null only in a moved-from Client.
  std::unique_ptr<detail::Connection> connection_;
};

}  // namespace eventstore
