// Snapshots on a PostgreSQL server with pg_eventstore 0.2 or later, through
// the extension's eventstore.save_snapshot and eventstore.load: a load is one
// round trip for the newest snapshot and the events after it.
//
//   auto snapshots = eventstore::ServerSnapshotStore::connect(dsn);
//   eventstore::Repository<Order> orders{*client, *snapshots, registry, {.snapshots = eventstore::snapshot_every(100)}};
//
// It has its own small pool of libpq connections (apart from a Client's),
// opened on demand up to max_connections and kept open while idle. It is
// thread-safe, honours the calling thread's DeadlineScope as the Client does
// (timeout before sending once the deadline has passed; the time left as
// statement_timeout), and replaces connections that break. Errors are the
// Client's (the same codes for the same SQLSTATEs); a snapshot of a version
// the stream does not have is SQLSTATE 22V10.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "eventstore/result.hpp"
#include "eventstore/snapshot_store.hpp"

namespace eventstore {

struct ServerSnapshotStoreOptions {
  // Connections open at once, in use or idle. At least 1.
  std::size_t max_connections = 10;
  // How long a call waits for a connection when all are in use (then pool_exhausted).
  std::chrono::milliseconds checkout_timeout{5000};
  // Snapshots kept per stream on each save; the server's
  // eventstore.snapshots_to_keep (default 3) when none is given.
  std::optional<std::int32_t> snapshots_to_keep{};
};

class ServerSnapshotStore final : public SnapshotStore {
 public:
  // Opens one connection at once, so that a bad DSN or an unreachable server
  // is reported here: invalid_argument or connection_lost, as Client::connect.
  [[nodiscard]] static Result<ServerSnapshotStore> connect(std::string_view dsn,
                                                           const ServerSnapshotStoreOptions& options = {});

  ServerSnapshotStore(ServerSnapshotStore&&) noexcept;
  ServerSnapshotStore& operator=(ServerSnapshotStore&&) noexcept;
  ServerSnapshotStore(const ServerSnapshotStore&) = delete;
  ServerSnapshotStore& operator=(const ServerSnapshotStore&) = delete;
  ~ServerSnapshotStore() override;

  [[nodiscard]] Result<void> save_snapshot(const StreamName& stream, StreamVersion version,
                                           std::string_view state_json, int state_schema_version) override;
  [[nodiscard]] Result<LoadedStream> load(const StreamName& stream, int state_schema_version,
                                          std::int32_t max_count) override;

 private:
  class Connections;
  explicit ServerSnapshotStore(std::unique_ptr<Connections> connections) noexcept;

  std::unique_ptr<Connections> connections_;
};

}  // namespace eventstore
