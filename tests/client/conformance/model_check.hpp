// The model check of the property-based test: runs a command sequence against
// a store under test (the real server, or a broken decorator of it) and, side
// by side, against a fresh in-memory store as the model, and reports the first
// divergence: a success against an error, another error code or SQLSTATE,
// another actual version, other events or versions, or positions and
// transactions that do not correspond one to one. Positions and transaction
// ids differ between the two stores by nature, so they are compared through
// the correspondence the run builds up.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "eventstore/eventstore.hpp"
#include "model_commands.hpp"

namespace eventstore::conformance {

class ModelCheck {
 public:
  // The first divergence, or nothing. Each run uses streams of its own, so
  // runs against one database do not see each other.
  [[nodiscard]] std::optional<std::string> run(FullEventStore& store_under_test, const CommandSequence& sequence);

  [[nodiscard]] std::uint64_t runs() const noexcept { return runs_; }
  // How often each kind of command ended how, over all runs: "append: ok",
  // "reuse_event_id: event_id_reused", ... A check that never saw a conflict
  // has not tested conflicts.
  [[nodiscard]] const std::map<std::string, int>& outcomes() const noexcept { return outcomes_; }

 private:
  // Where the store's log ended before the current run (its events start after it).
  std::optional<LogPosition> log_end_;
  std::uint64_t runs_ = 0;
  std::map<std::string, int> outcomes_;
};

}  // namespace eventstore::conformance
