// A connection of its own for writing read models: transactions, savepoints
// and the caller's SQL with text parameters and text results. Projections
// (eventstore::projections) write an event's changes and the subscription's
// checkpoints in one of its transactions. Not thread-safe: one user at a time.
// After a lost connection the next begin() connects again.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/store/result.hpp"

namespace eventstore {

namespace detail::pq {
class Connection;
}

// Rows in text form (NULL: nullopt), and how many rows the statement touched.
struct SqlRows {
  std::vector<std::vector<std::optional<std::string>>> rows;
  std::int64_t affected = 0;
};

class ReadModelSession {
 public:
  [[nodiscard]] static Result<ReadModelSession> connect(std::string_view dsn);

  ReadModelSession(ReadModelSession&&) noexcept;
  ReadModelSession& operator=(ReadModelSession&&) noexcept;
  ReadModelSession(const ReadModelSession&) = delete;
  ReadModelSession& operator=(const ReadModelSession&) = delete;
  ~ReadModelSession();

  // Runs one statement ($1, $2, ... take the parameters; nullopt is NULL),
  // or, without parameters, several separated by ';'.
  [[nodiscard]] Result<SqlRows> execute(std::string_view sql,
                                        const std::vector<std::optional<std::string>>& parameters = {});

  [[nodiscard]] Result<void> begin();
  [[nodiscard]] Result<void> commit();
  // Ends the transaction, if any, without its changes. Never fails: a broken
  // connection is replaced at the next begin().
  void rollback() noexcept;
  [[nodiscard]] bool in_transaction() const noexcept;

 private:
  ReadModelSession(std::string dsn, std::unique_ptr<detail::pq::Connection> connection) noexcept;
  [[nodiscard]] Result<void> reconnect_if_broken();

  std::string dsn_;
  std::unique_ptr<detail::pq::Connection> connection_;
};

}  // namespace eventstore
