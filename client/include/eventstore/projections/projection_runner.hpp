// Runs one version of a projection: makes its schema and tables (once),
// starts its subscription ("projection.<name>.v<version>") with a consumer
// that writes each event's changes and the checkpoints in one transaction,
// reports progress, and publishes the version when asked (promote).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "eventstore/postgres/client.hpp"
#include "eventstore/projections/projection.hpp"
#include "eventstore/projections/projection_status.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/subscriptions/subscription_options.hpp"

namespace eventstore {

struct ProjectionOptions {
  // Everything but the name, which the runner sets.
  SubscriptionOptions subscription;
  // Called between writing a batch's changes and its commit (tests use it
  // to crash the server there).
  std::function<void()> before_commit;
};

class ProjectionRunner {
 public:
  // `client` must outlive the runner; `dsn` is for the runner's own
  // connections (the read model's transactions, promote).
  [[nodiscard]] static Result<std::unique_ptr<ProjectionRunner>> start(Client& client, std::string_view dsn,
                                                                       ProjectionDefinition definition,
                                                                       ProjectionOptions options = {});
  ProjectionRunner(const ProjectionRunner&) = delete;
  ProjectionRunner& operator=(const ProjectionRunner&) = delete;
  ~ProjectionRunner();

  [[nodiscard]] Result<ProjectionStatus> status();
  // Publishes this version: in one transaction, the views of schema <name>
  // now read this version's tables. Readers see the old version or the new
  // one, never neither.
  [[nodiscard]] Result<void> promote();
  [[nodiscard]] bool wait_until_caught_up(std::chrono::milliseconds timeout) const;
  void stop();

  // "<name>_v<version>"
  [[nodiscard]] const std::string& schema() const noexcept;

  struct State;

 private:
  explicit ProjectionRunner(std::unique_ptr<State> state) noexcept;
  std::unique_ptr<State> state_;
};

}  // namespace eventstore
