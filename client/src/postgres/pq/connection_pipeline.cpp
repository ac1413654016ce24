// Connection::execute_pipeline: libpq's pipeline mode. Every item is one
// implicit transaction: [set_config(statement_timeout) when it has a
// deadline,] the statement, Sync. The server runs the segments one after
// the other and commits each at its Sync; the client reads the replies in
// order once everything is sent.
#include <libpq-fe.h>

#include <string>
#include <utility>

#include "connection.hpp"
#include "connection_results.hpp"
#include "libpq_error.hpp"
#include "statement_timeout.hpp"

namespace eventstore::detail::pq {
namespace {

// The same error as connection_lost: the reply to this item never came
// whole, so the caller cannot know whether it committed.
Error as_connection_lost(const Error& error) {
  return Error{ErrorCode::connection_lost, error.sqlstate(), error.message(), error.detail(), error.hint()};
}

struct SentItem {
  std::size_t index;
  bool with_statement_timeout;
};

}  // namespace

Error Connection::send_failure() const {
  std::string message = PQerrorMessage(handle_.get());
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (message.empty()) message = "could not send the pipeline";
  return Error{ErrorCode::connection_lost, std::move(message)};
}

std::vector<Result<QueryResult>> Connection::execute_pipeline(std::span<const PipelineItem> items) {
  std::vector<std::optional<Result<QueryResult>>> outcomes(items.size());
  std::vector<std::size_t> all(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) all[i] = i;
  run_pipeline(items, all, outcomes);

  // Statements the session lost (DISCARD ALL) are prepared again and their
  // items sent once more: nothing of them ran.
  std::vector<std::size_t> again;
  for (std::size_t i = 0; i < items.size(); ++i)
    if (!*outcomes[i] && outcomes[i]->error().sqlstate() == prepared_statement_missing &&
        outcomes[i]->error().code() != ErrorCode::connection_lost)
      again.push_back(i);
  if (!again.empty() && reusable()) {
    prepared_.fill(false);
    run_pipeline(items, again, outcomes);
  }

  std::vector<Result<QueryResult>> results;
  results.reserve(items.size());
  for (auto& outcome : outcomes) results.push_back(std::move(*outcome));
  return results;
}

void Connection::run_pipeline(std::span<const PipelineItem> items, std::span<const std::size_t> indices,
                              std::vector<std::optional<Result<QueryResult>>>& outcomes) {
  PGconn* connection = handle_.get();
  auto fail_all = [&](std::span<const std::size_t> failing, const Error& error) {
    for (std::size_t index : failing) outcomes[index] = std::unexpected(error);
  };

  // Preparing is a round trip of its own, once per connection and statement.
  bool any_deadline = false;
  for (std::size_t index : indices) {
    any_deadline = any_deadline || items[index].deadline.has_value();
    if (auto prepared = prepare_once(*items[index].statement); !prepared) return fail_all(indices, prepared.error());
  }
  if (any_deadline)
    if (auto prepared = prepare_once(set_local_statement_timeout); !prepared)
      return fail_all(indices, prepared.error());

  if (PQenterPipelineMode(connection) != 1) return fail_all(indices, send_failure());

  std::vector<SentItem> sent;
  sent.reserve(indices.size());
  for (std::size_t position = 0; position < indices.size(); ++position) {
    std::size_t index = indices[position];
    const PipelineItem& item = items[index];
    // Checked as late as possible: the item may have waited for the batch.
    auto timeout = statement_timeout_until(item.deadline, Deadline::clock::now());
    if (!timeout) {
      outcomes[index] = std::unexpected(std::move(timeout.error()));
      continue;
    }
    bool queued = true;
    if (*timeout) {
      std::string milliseconds = std::to_string((*timeout)->count());
      BinaryParameters<1> parameters;
      parameters.set_text(0, milliseconds);
      queued = PQsendQueryPrepared(connection, set_local_statement_timeout.name, 1, parameters.values(),
                                   parameters.lengths(), parameters.formats(), binary_results) == 1;
    }
    const Statement& statement = *item.statement;
    queued = queued &&
             (statement.planned_per_call
                  ? PQsendQueryParams(connection, statement.sql, statement.parameter_count, statement.parameter_types,
                                      item.values, item.lengths, item.formats, binary_results)
                  : PQsendQueryPrepared(connection, statement.name, statement.parameter_count, item.values,
                                        item.lengths, item.formats, binary_results)) == 1;
    queued = queued && PQpipelineSync(connection) == 1;
    if (!queued) {
      // What was sent of this item never reaches a Sync of its own, so it
      // cannot commit; the connection is not used again.
      broken_ = true;
      fail_all(indices.subspan(position), send_failure());
      break;
    }
    sent.push_back({index, timeout->has_value()});
  }

  for (std::size_t position = 0; position < sent.size(); ++position) {
    const SentItem& item = sent[position];
    QueryResult failure;  // the first failed reply of the item
    QueryResult rows;
    bool whole = true;  // every reply of the item arrived, its Sync included
    int statements = item.with_statement_timeout ? 2 : 1;
    for (int statement = 0; statement < statements && whole; ++statement) {
      QueryResult reply{PQgetResult(connection)};
      if (!reply) {
        whole = false;
        break;
      }
      ExecStatusType status = PQresultStatus(reply.get());
      if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
        if (statement == statements - 1) rows = std::move(reply);
      } else if (status != PGRES_PIPELINE_ABORTED) {  // aborted: an earlier statement of the item failed
        if (!failure) failure = std::move(reply);
        if (PQstatus(connection) == CONNECTION_BAD) whole = false;
      }
      // Each statement's replies end with a null result.
      if (whole && QueryResult{PQgetResult(connection)} != nullptr) whole = false;
    }
    if (whole) {
      QueryResult sync{PQgetResult(connection)};
      if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) {
        if (sync && !failure) failure = std::move(sync);
        whole = false;
      }
    }

    if (whole) {
      if (failure)
        outcomes[item.index] = std::unexpected(error_from_failed_result(failure.get(), connection));
      else if (rows)
        outcomes[item.index] = std::move(rows);
      else
        outcomes[item.index] = std::unexpected(Error{ErrorCode::internal, "the pipeline returned no rows"});
      continue;
    }
    // The connection broke (or replied out of order) before this item's
    // transaction was acknowledged: it and every later item are in doubt.
    broken_ = true;
    Error lost = as_connection_lost(failure ? error_from_failed_result(failure.get(), connection) : send_failure());
    for (std::size_t later = position; later < sent.size(); ++later)
      outcomes[sent[later].index] = std::unexpected(lost);
    return;
  }
  if (PQexitPipelineMode(connection) != 1) broken_ = true;
}

}  // namespace eventstore::detail::pq
