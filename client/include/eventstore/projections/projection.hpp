// A projection: a read model in tables of the same database, fed by a
// subscription, each event's changes and the subscription's checkpoints
// committed in one transaction, so that the read model reflects every event
// exactly once, crash or not (docs/projections.md).
//
// Each version of a projection builds into a schema of its own,
// "<name>_v<version>"; the version that serves is published as views in the
// schema "<name>" (ProjectionRunner::promote), so a new version can rebuild
// while the old one serves, and the switch is one transaction.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/postgres/read_model_session.hpp"
#include "eventstore/store/log_position.hpp"
#include "eventstore/store/recorded_event.hpp"
#include "eventstore/store/subscription_source.hpp"
#include "eventstore/subscriptions/event_handler.hpp"

namespace eventstore {

// What a projection's handler works with for one event.
class ProjectionContext {
 public:
  ProjectionContext(ReadModelSession& sql, std::string schema, bool replaying) noexcept
      : sql_(sql), schema_(std::move(schema)), replaying_(replaying) {}

  // The connection, inside the transaction that also commits the checkpoint.
  [[nodiscard]] ReadModelSession& sql() noexcept { return sql_; }
  // A table of this version, schema-qualified and quoted: "orders_v2"."order_summary".
  [[nodiscard]] std::string table(std::string_view name) const;
  // True while the version rebuilds history (the event is at or before the
  // head of the log when the version was first started): effects beyond the
  // read model are then held back.
  [[nodiscard]] bool replaying() const noexcept { return replaying_; }
  // Runs `effect` after the event's transaction commits, and never while
  // replaying nor when the event's changes are rolled back: notifications,
  // e-mails, messages to other systems (at least once: a crash right after
  // the commit loses it; keep such effects idempotent or outbox them in SQL).
  void after_commit(std::function<void()> effect);

  [[nodiscard]] std::vector<std::function<void()>> take_effects() noexcept { return std::move(effects_); }

 private:
  ReadModelSession& sql_;
  std::string schema_;
  bool replaying_;
  std::vector<std::function<void()>> effects_;
};

using ProjectionHandler = std::function<HandlerResult(const RecordedEvent&, ProjectionContext&)>;

struct ProjectionDefinition {
  // The read model's name: 1 to 40 of a-z, 0-9 and '_', starting with a letter.
  std::string name;
  // A new version rebuilds from the start of the log into new tables.
  int version = 1;
  SubscriptionSource source;
  // The tables a version has (published as views by promote()).
  std::vector<std::string> tables;
  // Creates a version's tables: SQL in which every {schema} is replaced by
  // the version's schema (quoted), run once, when the schema is made.
  std::string create_sql;
  ProjectionHandler handle;
};

}  // namespace eventstore
