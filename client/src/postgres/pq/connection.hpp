// One libpq connection and the statements prepared on it; results come back
// in binary format. A connection that breaks stays broken: the pool closes
// it when it comes back (reusable() is false) and opens another.
//
// Deadlines: when the calling thread has a DeadlineScope, execute() fails
// with timeout if it has passed, and otherwise sends the time left as a
// transaction-local statement_timeout in the same round trip (pipeline
// mode), so that the server cancels a statement that outlives it.
#pragma once

#include <array>
#include <cassert>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "binary_parameters.hpp"
#include "eventstore/store/deadline.hpp"
#include "eventstore/store/result.hpp"
#include "libpq_handles.hpp"
#include "rows.hpp"
#include "statement.hpp"

namespace eventstore::detail::pq {

// One statement of a pipeline, with parameters laid out as BinaryParameters
// has them (they must stay valid until execute_pipeline returns).
struct PipelineItem {
  const Statement* statement;
  const char* const* values;
  const int* lengths;
  const int* formats;
  std::optional<Deadline> deadline;
};

class Connection {
 public:
  [[nodiscard]] static Result<std::unique_ptr<Connection>> open(std::string_view dsn);

  template <std::size_t Count>
  [[nodiscard]] Result<QueryResult> execute(const Statement& statement, const BinaryParameters<Count>& parameters) {
    assert(statement.parameter_count == parameters.count());
    return execute(statement, parameters.values(), parameters.lengths(), parameters.formats());
  }

  // Sends every item before reading any reply, each in its own implicit
  // transaction (a Sync after each), so one failing item does not abort the
  // others. One result per item, in order. An item succeeds only when its
  // transaction's end was acknowledged; when the connection is lost, every
  // item not acknowledged by then is connection_lost.
  [[nodiscard]] std::vector<Result<QueryResult>> execute_pipeline(std::span<const PipelineItem> items);

  // Runs SQL of the caller's (a read model's statements) with text
  // parameters (nullopt: NULL), planned per call, results in text format.
  // Several statements without parameters may be given at once.
  [[nodiscard]] Result<QueryResult> execute_text(std::string_view sql,
                                                 std::span<const std::optional<std::string>> parameters);

  // Whether a transaction is open (or failed and not yet ended).
  [[nodiscard]] bool in_transaction() const;

  // After idling: whether the server has left the connection alone. Costs no
  // round trip: an idle session is sent nothing unasked, so anything to read
  // (the server's goodbye, or the closed socket) means it is gone.
  [[nodiscard]] bool healthy_after_idle() const;

  // Whether the next user may have it: connected, outside any transaction
  // and pipeline, and not left in an unknown state by an earlier failure.
  [[nodiscard]] bool reusable() const;

 private:
  explicit Connection(ConnectionHandle handle) noexcept : handle_(std::move(handle)) {}

  [[nodiscard]] Result<QueryResult> execute(const Statement& statement, const char* const* values, const int* lengths,
                                            const int* formats);
  [[nodiscard]] Result<void> prepare(const Statement& statement);
  [[nodiscard]] Result<void> prepare_once(const Statement& statement);
  // One pass of execute_pipeline over the items at `indices`.
  void run_pipeline(std::span<const PipelineItem> items, std::span<const std::size_t> indices,
                    std::vector<std::optional<Result<QueryResult>>>& outcomes);
  [[nodiscard]] Error send_failure() const;

  ConnectionHandle handle_;
  std::array<bool, prepared_statement_slots> prepared_{};
  bool broken_ = false;
};

}  // namespace eventstore::detail::pq
