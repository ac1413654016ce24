// One libpq connection and the statements prepared on it. Every call checks
// the connection first and reconnects when it was lost, preparing the
// statements again; results come back in binary format.
#pragma once

#include <array>
#include <cassert>
#include <cstddef>
#include <memory>
#include <string_view>

#include "binary_parameters.hpp"
#include "eventstore/result.hpp"
#include "libpq_handles.hpp"
#include "statements.hpp"

namespace eventstore::detail {

class Connection {
 public:
  [[nodiscard]] static Result<std::unique_ptr<Connection>> open(std::string_view dsn);

  template <std::size_t Count>
  [[nodiscard]] Result<QueryResult> execute(const Statement& statement, const BinaryParameters<Count>& parameters) {
    assert(statement.parameter_count == parameters.count());
    return execute(statement, parameters.values(), parameters.lengths(), parameters.formats());
  }

 private:
  explicit Connection(ConnectionHandle handle) noexcept : handle_(std::move(handle)) {}

  [[nodiscard]] Result<QueryResult> execute(const Statement& statement, const char* const* values,
                                            const int* lengths, const int* formats);
  [[nodiscard]] Result<void> reconnect_if_lost();
  [[nodiscard]] Result<void> prepare(const Statement& statement);

  ConnectionHandle handle_;
  std::array<bool, statements::count> prepared_{};
};

}  // namespace eventstore::detail
