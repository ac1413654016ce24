#include "eventstore/server_snapshot_store.hpp"

#include <condition_variable>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "binary_format.hpp"
#include "eventstore/deadline.hpp"
#include "loaded_stream_rows.hpp"
#include "snapshot_connection.hpp"

namespace eventstore {

using detail::SnapshotConnection;

// The store's connections: idle ones are reused, new ones opened up to the limit.
class ServerSnapshotStore::Connections {
 public:
  // Gives the connection back to its pool (or closes it) when it goes.
  class Lease {
   public:
    Lease(Connections& owner, std::unique_ptr<SnapshotConnection> connection) noexcept
        : owner_(&owner), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept : owner_(other.owner_), connection_(std::move(other.connection_)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (connection_) owner_->give_back(std::move(connection_));
    }
    [[nodiscard]] SnapshotConnection& operator*() const noexcept { return *connection_; }
    [[nodiscard]] SnapshotConnection* operator->() const noexcept { return connection_.get(); }

   private:
    Connections* owner_;
    std::unique_ptr<SnapshotConnection> connection_;
  };

  Connections(std::string dsn, const ServerSnapshotStoreOptions& options) : dsn_(std::move(dsn)), options_(options) {}

  [[nodiscard]] Result<void> open_first() {
    auto connection = SnapshotConnection::open(dsn_);
    if (!connection) return std::unexpected(std::move(connection.error()));
    std::lock_guard lock{mutex_};
    idle_.push_back(std::move(*connection));
    ++open_;
    return {};
  }

  [[nodiscard]] Result<Lease> acquire() {
    auto now = std::chrono::steady_clock::now();
    auto until = now + options_.checkout_timeout;
    auto deadline = DeadlineScope::current();
    bool deadline_first = deadline && *deadline < until;
    if (deadline_first) until = *deadline;
    {
      std::unique_lock lock{mutex_};
      while (idle_.empty() && open_ >= options_.max_connections) {
        if (available_.wait_until(lock, until) == std::cv_status::timeout && idle_.empty() &&
            open_ >= options_.max_connections)
          return std::unexpected(
              deadline_first ? Error{ErrorCode::timeout, "the deadline passed while waiting for a connection"}
                             : Error{ErrorCode::pool_exhausted, "no snapshot store connection became free in time"});
      }
      if (!idle_.empty()) {
        auto connection = std::move(idle_.back());
        idle_.pop_back();
        return Lease{*this, std::move(connection)};
      }
      ++open_;  // the place is taken while the connection opens
    }
    auto connection = SnapshotConnection::open(dsn_);
    if (!connection) {
      give_back(nullptr);
      return std::unexpected(std::move(connection.error()));
    }
    return Lease{*this, std::move(*connection)};
  }

  [[nodiscard]] const ServerSnapshotStoreOptions& options() const noexcept { return options_; }

 private:
  void give_back(std::unique_ptr<SnapshotConnection> connection) {
    {
      std::lock_guard lock{mutex_};
      if (connection && connection->reusable())
        idle_.push_back(std::move(connection));
      else
        --open_;
    }
    available_.notify_one();
  }

  std::string dsn_;
  ServerSnapshotStoreOptions options_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<SnapshotConnection>> idle_;
  std::size_t open_ = 0;
};

Result<ServerSnapshotStore> ServerSnapshotStore::connect(std::string_view dsn,
                                                         const ServerSnapshotStoreOptions& options) {
  if (options.max_connections < 1)
    return std::unexpected(Error{ErrorCode::invalid_argument, "max_connections must be at least 1"});
  if (options.snapshots_to_keep && *options.snapshots_to_keep < 1)
    return std::unexpected(Error{ErrorCode::invalid_argument, "snapshots_to_keep must be at least 1"});
  auto connections = std::make_unique<Connections>(std::string{dsn}, options);
  if (auto opened = connections->open_first(); !opened) return std::unexpected(std::move(opened.error()));
  return ServerSnapshotStore{std::move(connections)};
}

ServerSnapshotStore::ServerSnapshotStore(std::unique_ptr<Connections> connections) noexcept
    : connections_(std::move(connections)) {}
ServerSnapshotStore::ServerSnapshotStore(ServerSnapshotStore&&) noexcept = default;
ServerSnapshotStore& ServerSnapshotStore::operator=(ServerSnapshotStore&&) noexcept = default;
ServerSnapshotStore::~ServerSnapshotStore() = default;

Result<void> ServerSnapshotStore::save_snapshot(const StreamName& stream, StreamVersion version,
                                                std::string_view state_json, int state_schema_version) {
  std::string version_bytes;
  detail::binary_format::append_int64(version_bytes, version.value());
  std::string state_bytes;
  state_bytes.reserve(state_json.size() + 1);
  state_bytes.push_back(detail::binary_format::jsonb_version);
  state_bytes.append(state_json);
  std::string schema_bytes;
  detail::binary_format::append_int32(schema_bytes, state_schema_version);
  std::string keep_bytes;
  auto keep = connections_->options().snapshots_to_keep;
  if (keep) detail::binary_format::append_int32(keep_bytes, *keep);

  const char* values[] = {stream.value().data(), version_bytes.data(), state_bytes.data(), schema_bytes.data(),
                          keep ? keep_bytes.data() : nullptr};
  const int lengths[] = {static_cast<int>(stream.value().size()), 8, static_cast<int>(state_bytes.size()), 4,
                         keep ? 4 : 0};
  auto connection = connections_->acquire();
  if (!connection) return std::unexpected(std::move(connection.error()));
  auto result = (*connection)->execute(detail::snapshot_statements::save_snapshot, values, lengths);
  if (!result) return std::unexpected(std::move(result.error()));
  return {};
}

Result<LoadedStream> ServerSnapshotStore::load(const StreamName& stream, int state_schema_version,
                                               std::int32_t max_count) {
  std::string schema_bytes;
  detail::binary_format::append_int32(schema_bytes, state_schema_version);
  std::string max_count_bytes;
  detail::binary_format::append_int32(max_count_bytes, max_count);
  const char* values[] = {stream.value().data(), schema_bytes.data(), max_count_bytes.data()};
  const int lengths[] = {static_cast<int>(stream.value().size()), 4, 4};
  auto connection = connections_->acquire();
  if (!connection) return std::unexpected(std::move(connection.error()));
  auto result = (*connection)->execute(detail::snapshot_statements::load, values, lengths);
  if (!result) return std::unexpected(std::move(result.error()));
  return detail::decode_loaded_stream(result->get(), stream);
}

}  // namespace eventstore
