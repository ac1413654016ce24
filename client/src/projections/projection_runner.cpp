#include "eventstore/projections/projection_runner.hpp"

#include <algorithm>
#include <deque>
#include <mutex>
#include <random>

#include "eventstore/subscriptions/subscription.hpp"
#include "read_model_consumer.hpp"

namespace eventstore {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 40 || !(name[0] >= 'a' && name[0] <= 'z')) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::string quoted(std::string_view identifier) { return "\"" + std::string{identifier} + "\""; }

std::string with_schema(std::string sql, std::string_view schema) {
  const std::string placeholder = "{schema}";
  for (std::size_t at = sql.find(placeholder); at != std::string::npos; at = sql.find(placeholder, at)) {
    sql.replace(at, placeholder.size(), quoted(schema));
    at += schema.size() + 2;
  }
  return sql;
}

Error refused(std::string why) { return Error{ErrorCode::invalid_argument, std::move(why)}; }

// Makes the version's schema, its tables and its state row (the head of the
// log at its first start: events up to there are replayed history), once;
// returns that head.
Result<std::optional<LogPosition>> prepare_schema(ReadModelSession& session, const ProjectionDefinition& definition,
                                                  const std::string& schema) {
  if (auto begun = session.begin(); !begun) return std::unexpected(begun.error());
  auto fail = [&](const Error& error) -> Result<std::optional<LogPosition>> {
    session.rollback();
    return std::unexpected(error);
  };
  // One maker at a time, so that two members starting together make it once.
  if (auto locked = session.execute("SELECT pg_advisory_xact_lock(hashtext($1))", {schema}); !locked)
    return fail(locked.error());
  auto exists = session.execute("SELECT 1 FROM pg_namespace WHERE nspname = $1", {schema});
  if (!exists) return fail(exists.error());
  if (exists->rows.empty()) {
    for (const std::string& statement :
         {"CREATE SCHEMA " + quoted(schema),
          "CREATE TABLE " + quoted(schema) +
              ".projection_state (replay_until_transaction xid8, replay_until_position bigint, "
              "created_at timestamptz NOT NULL DEFAULT now())",
          "INSERT INTO " + quoted(schema) +
              ".projection_state (replay_until_transaction, replay_until_position) "
              "SELECT transaction_id, position FROM eventstore.events "
              "ORDER BY transaction_id DESC, position DESC LIMIT 1",
          "INSERT INTO " + quoted(schema) +
              ".projection_state (replay_until_transaction) SELECT NULL WHERE NOT EXISTS (SELECT FROM " +
              quoted(schema) + ".projection_state)",
          with_schema(definition.create_sql, schema)})
      if (auto made = session.execute(statement); !made) return fail(made.error());
  }
  auto state = session.execute("SELECT replay_until_transaction::text, replay_until_position FROM " + quoted(schema) +
                               ".projection_state LIMIT 1");
  if (!state) return fail(state.error());
  if (auto committed = session.commit(); !committed) return std::unexpected(committed.error());
  if (state->rows.empty() || !state->rows[0][0] || !state->rows[0][1]) return std::optional<LogPosition>{};
  return std::optional<LogPosition>{
      LogPosition{std::stoull(*state->rows[0][0]), GlobalPosition{std::stoll(*state->rows[0][1])}}};
}

}  // namespace

struct ProjectionRunner::State {
  State(Client& client_, std::string dsn_, ProjectionDefinition definition_)
      : client(client_), dsn(std::move(dsn_)), definition(std::move(definition_)) {}

  Client& client;
  std::string dsn;
  ProjectionDefinition definition;
  std::string schema;
  std::string subscription_name;
  std::optional<LogPosition> replay_until;
  std::unique_ptr<Subscription> subscription;

  // (when, events handled) samples of the last seconds, for the rate.
  std::mutex samples_mutex;
  std::deque<std::pair<std::chrono::steady_clock::time_point, std::int64_t>> samples;
};

ProjectionRunner::ProjectionRunner(std::unique_ptr<State> state) noexcept : state_(std::move(state)) {}

ProjectionRunner::~ProjectionRunner() { stop(); }

Result<std::unique_ptr<ProjectionRunner>> ProjectionRunner::start(Client& client, std::string_view dsn,
                                                                  ProjectionDefinition definition,
                                                                  ProjectionOptions options) {
  if (!valid_name(definition.name))
    return std::unexpected(refused(
        "a projection's name is 1 to 40 of a-z, 0-9 and '_', starting with a letter; got \"" + definition.name + "\""));
  if (definition.version < 1) return std::unexpected(refused("a projection's version is at least 1"));
  if (!definition.handle) return std::unexpected(refused("the projection has no handler"));
  for (const std::string& table : definition.tables)
    if (!valid_name(table))
      return std::unexpected(refused("a read model table's name is like a projection's: " + table));

  auto state = std::unique_ptr<State>(new State(client, std::string{dsn}, std::move(definition)));
  state->schema = state->definition.name + "_v" + std::to_string(state->definition.version);
  state->subscription_name = "projection." + state->definition.name + ".v" + std::to_string(state->definition.version);

  auto admin = ReadModelSession::connect(dsn);
  if (!admin) return std::unexpected(admin.error());
  auto replay_until = prepare_schema(*admin, state->definition, state->schema);
  if (!replay_until) return std::unexpected(replay_until.error());
  state->replay_until = *replay_until;

  auto session = ReadModelSession::connect(dsn);
  if (!session) return std::unexpected(session.error());
  SubscriptionOptions subscription_options = std::move(options.subscription);
  subscription_options.name = state->subscription_name;
  subscription_options.source = state->definition.source;
  if (subscription_options.member.empty())
    subscription_options.member = state->definition.name + "-" + std::to_string(std::random_device{}());
  SubscriptionMembership membership{subscription_options.name, subscription_options.member, subscription_options.source,
                                    subscription_options.partition_count, subscription_options.lease};
  auto consumer =
      std::make_shared<detail::ReadModelConsumer>(std::move(*session), membership, state->definition.handle,
                                                  state->schema, state->replay_until, std::move(options.before_commit));
  auto subscription = Subscription::start(client, client, std::move(subscription_options), consumer);
  if (!subscription) return std::unexpected(subscription.error());
  state->subscription = std::move(*subscription);
  return std::unique_ptr<ProjectionRunner>(new ProjectionRunner(std::move(state)));
}

const std::string& ProjectionRunner::schema() const noexcept { return state_->schema; }

void ProjectionRunner::stop() {
  if (state_ && state_->subscription) state_->subscription->stop();
}

bool ProjectionRunner::wait_until_caught_up(std::chrono::milliseconds timeout) const {
  return state_->subscription->wait_until_caught_up(timeout);
}

Result<ProjectionStatus> ProjectionRunner::status() {
  ProjectionStatus status;
  status.version = state_->definition.version;
  status.subscription = state_->subscription->statistics();
  status.events_handled = status.subscription.events_handled;
  auto lag = state_->client.lag(state_->subscription_name);
  if (!lag) return std::unexpected(lag.error());
  for (const PartitionLag& partition : *lag) status.events_behind += partition.events_behind;
  {
    std::lock_guard lock(state_->samples_mutex);
    auto now = std::chrono::steady_clock::now();
    state_->samples.emplace_back(now, status.events_handled);
    while (state_->samples.size() > 2 && now - state_->samples.front().first > std::chrono::seconds{5})
      state_->samples.pop_front();
    const auto& [since, handled_then] = state_->samples.front();
    double seconds = std::chrono::duration<double>(now - since).count();
    if (seconds > 0) status.events_per_second = static_cast<double>(status.events_handled - handled_then) / seconds;
  }
  if (status.events_behind == 0)
    status.seconds_to_catch_up = 0.0;
  else if (status.events_per_second > 0)
    status.seconds_to_catch_up = static_cast<double>(status.events_behind) / status.events_per_second;
  status.replaying = state_->replay_until &&
                     (!status.subscription.last_handled || *status.subscription.last_handled < *state_->replay_until);
  auto admin = ReadModelSession::connect(state_->dsn);
  if (!admin) return std::unexpected(admin.error());
  const std::string served_table = quoted(state_->definition.name) + ".served_version";
  auto exists = admin->execute("SELECT to_regclass($1) IS NOT NULL", {served_table});
  if (!exists) return std::unexpected(exists.error());
  if (exists->rows[0][0] == "t") {
    auto served = admin->execute("SELECT version FROM " + served_table);
    if (!served) return std::unexpected(served.error());
    if (!served->rows.empty() && served->rows[0][0]) status.served_version = std::stoi(*served->rows[0][0]);
  }
  return status;
}

Result<void> ProjectionRunner::promote() {
  auto session = ReadModelSession::connect(state_->dsn);
  if (!session) return std::unexpected(session.error());
  if (auto begun = session->begin(); !begun) return std::unexpected(begun.error());
  const std::string served = quoted(state_->definition.name);
  std::vector<std::string> statements{
      "SET LOCAL client_min_messages = warning",
      "SELECT pg_advisory_xact_lock(hashtext(" + std::string{"'"} + state_->definition.name + "'))",
      "CREATE SCHEMA IF NOT EXISTS " + served,
      "CREATE TABLE IF NOT EXISTS " + served + ".served_version (version integer NOT NULL)"};
  for (const std::string& table : state_->definition.tables) {
    statements.push_back("DROP VIEW IF EXISTS " + served + "." + quoted(table));
    statements.push_back("CREATE VIEW " + served + "." + quoted(table) + " AS SELECT * FROM " + quoted(state_->schema) +
                         "." + quoted(table));
  }
  statements.push_back("DELETE FROM " + served + ".served_version");
  statements.push_back("INSERT INTO " + served + ".served_version VALUES (" +
                       std::to_string(state_->definition.version) + ")");
  for (const std::string& statement : statements)
    if (auto done = session->execute(statement); !done) {
      session->rollback();
      return std::unexpected(done.error());
    }
  return session->commit();
}

}  // namespace eventstore
