#include "eventstore/postgres/server_snapshot_store.hpp"

#include <utility>

namespace eventstore {

ServerSnapshotStore::ServerSnapshotStore(Client& client, const ServerSnapshotStoreOptions& options)
    : client_(&client), snapshots_to_keep_(options.snapshots_to_keep) {}

ServerSnapshotStore::ServerSnapshotStore(std::unique_ptr<Client> own_client, const ServerSnapshotStoreOptions& options)
    : own_client_(std::move(own_client)), client_(own_client_.get()), snapshots_to_keep_(options.snapshots_to_keep) {}

Result<ServerSnapshotStore> ServerSnapshotStore::connect(std::string_view dsn,
                                                         const ServerSnapshotStoreOptions& options) {
  if (options.max_connections < 1)
    return std::unexpected(Error{ErrorCode::invalid_argument, "max_connections must be at least 1"});
  if (options.snapshots_to_keep && *options.snapshots_to_keep < 1)
    return std::unexpected(Error{ErrorCode::invalid_argument, "snapshots_to_keep must be at least 1"});
  ClientOptions client_options;
  client_options.pool.min_size = 1;
  client_options.pool.max_size = options.max_connections;
  client_options.pool.checkout_timeout = options.checkout_timeout;
  auto client = Client::connect(dsn, client_options);
  if (!client) return std::unexpected(std::move(client.error()));
  return ServerSnapshotStore{std::make_unique<Client>(std::move(*client)), options};
}

ServerSnapshotStore::ServerSnapshotStore(ServerSnapshotStore&&) noexcept = default;
ServerSnapshotStore& ServerSnapshotStore::operator=(ServerSnapshotStore&&) noexcept = default;
ServerSnapshotStore::~ServerSnapshotStore() = default;

Result<void> ServerSnapshotStore::save_snapshot(const StreamName& stream, StreamVersion version,
                                                std::string_view state_json, int state_schema_version) {
  return client_->save_snapshot(stream, version, state_json,
                                {.state_schema_version = state_schema_version, .keep = snapshots_to_keep_});
}

Result<LoadedStream> ServerSnapshotStore::load(const StreamName& stream, int state_schema_version,
                                               std::int32_t max_count) {
  return client_->load(stream, {.state_schema_version = state_schema_version, .max_count = max_count});
}

}  // namespace eventstore
