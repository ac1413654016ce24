// One libpq connection of a ServerSnapshotStore and the two statements it
// runs, eventstore.save_snapshot and eventstore.load, prepared once per
// connection and answered in binary format. The snapshot store has its own
// connections, apart from any Client's pool.
//
// Deadlines work as in the Client: with a DeadlineScope on the calling
// thread, a call whose deadline has passed fails with timeout before it is
// sent, and the time left goes to the server as a transaction-local
// statement_timeout in the same round trip (pipeline mode).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "eventstore/result.hpp"
#include "libpq_handles.hpp"

namespace eventstore::detail {

struct SnapshotStatement {
  std::size_t index;
  const char* name;
  const char* sql;
  int parameter_count;
  const std::uint32_t* parameter_types;
};

namespace snapshot_statements {
extern const SnapshotStatement save_snapshot;  // (stream text, version int8, state jsonb, schema int4, keep int4)
extern const SnapshotStatement load;           // (stream text, schema int4, max_count int4)
}  // namespace snapshot_statements

class SnapshotConnection {
 public:
  [[nodiscard]] static Result<std::unique_ptr<SnapshotConnection>> open(std::string_view dsn);

  // Runs one of the snapshot_statements with parameters in binary format.
  [[nodiscard]] Result<QueryResult> execute(const SnapshotStatement& statement, const char* const* values,
                                            const int* lengths);

  // Connected, idle, outside pipeline mode, and not left in doubt by a failure.
  [[nodiscard]] bool reusable() const;

 private:
  explicit SnapshotConnection(ConnectionHandle handle) noexcept : handle_(std::move(handle)) {}

  [[nodiscard]] Result<void> prepare_once(const SnapshotStatement& statement);
  [[nodiscard]] Result<QueryResult> execute_now(const SnapshotStatement& statement, const char* const* values,
                                                const int* lengths);
  [[nodiscard]] Result<QueryResult> execute_with_timeout(const SnapshotStatement& statement, const char* const* values,
                                                         const int* lengths, std::int64_t timeout_milliseconds);
  [[nodiscard]] Error connection_failure(const char* fallback) const;

  ConnectionHandle handle_;
  std::array<bool, 3> prepared_{};
  bool broken_ = false;
};

}  // namespace eventstore::detail
