// Snapshots on a PostgreSQL server with pg_eventstore 0.2 or later: the
// SnapshotStore of the framework over Client::save_snapshot and Client::load
// (one round trip each, for the newest snapshot and the events after it).
//
//   auto client = eventstore::Client::connect(dsn);
//   eventstore::ServerSnapshotStore snapshots{*client};
//   eventstore::Repository<Order> orders{*client, snapshots, registry, {.snapshots = eventstore::snapshot_every(100)}};
//
// Everything is the Client's: its pool, the calling thread's DeadlineScope
// (timeout before sending once it has passed; the time left as
// statement_timeout), the replacement of broken connections, and the errors
// (the same codes for the same SQLSTATEs: invalid_snapshot for a version the
// stream does not show, stream_deleted for a tombstoned stream). Thread-safe
// as the Client is.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "eventstore/postgres/client.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/snapshot_store.hpp"

namespace eventstore {

struct ServerSnapshotStoreOptions {
  // For connect(): connections of the store's own Client (its pool's
  // max_size), at least 1.
  std::size_t max_connections = 10;
  // For connect(): how long a call waits for a connection when all are in
  // use (then pool_exhausted).
  std::chrono::milliseconds checkout_timeout{5000};
  // Snapshots kept per stream on each save (at least 1); the server's
  // eventstore.snapshots_to_keep (default 3) when none is given.
  std::optional<std::int32_t> snapshots_to_keep{};
};

class ServerSnapshotStore final : public SnapshotStore {
 public:
  // Through `client`, which must outlive the store. Only
  // options.snapshots_to_keep applies (a value below 1 fails each save with
  // invalid_snapshot).
  explicit ServerSnapshotStore(Client& client, const ServerSnapshotStoreOptions& options = {});

  // With a Client of its own, connected at once so that a bad DSN or an
  // unreachable server is reported here: invalid_argument or
  // connection_lost, as Client::connect; invalid_argument for options out of range.
  [[nodiscard]] static Result<ServerSnapshotStore> connect(std::string_view dsn,
                                                           const ServerSnapshotStoreOptions& options = {});

  ServerSnapshotStore(ServerSnapshotStore&&) noexcept;
  ServerSnapshotStore& operator=(ServerSnapshotStore&&) noexcept;
  ServerSnapshotStore(const ServerSnapshotStore&) = delete;
  ServerSnapshotStore& operator=(const ServerSnapshotStore&) = delete;
  ~ServerSnapshotStore() override;

  [[nodiscard]] Result<void> save_snapshot(const StreamName& stream, StreamVersion version, std::string_view state_json,
                                           int state_schema_version) override;
  [[nodiscard]] Result<LoadedStream> load(const StreamName& stream, int state_schema_version,
                                          std::int32_t max_count) override;

 private:
  ServerSnapshotStore(std::unique_ptr<Client> own_client, const ServerSnapshotStoreOptions& options);

  // Set by connect() only.
  std::unique_ptr<Client> own_client_;
  Client* client_;
  std::optional<std::int32_t> snapshots_to_keep_;
};

}  // namespace eventstore
