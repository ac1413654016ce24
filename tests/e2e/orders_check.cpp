// The orders sample as a check: the demo's workload (8 threads, their own
// orders and a few hot ones shared by all, commands that break rules on
// purpose) runs through the sample's service (repository with snapshots and
// conflict retries, bus with every middleware) on a database of its own, and
// what the service reports is held against the store, read with libpq:
//
// - the events in the store are exactly the events the repository counted
//   as appended (no lost, no doubled appends);
// - every order stream obeys the business rules, judged by a checker of its
//   own over the stored JSON (placed first and once, lines change only while
//   open, the payment matches the total of a non-empty order, only a paid
//   order ships, nothing changes after shipping or cancelling);
// - every order stream loads through the repository without error, into the
//   state the checker derived (the Order aggregate with snapshots, and the
//   decider-style shipping view by replay);
// - no command failed for any reason but a rule or its validation, and the
//   bus's metrics add up.
//
// With --control the ShipOrder handler skips the order's rules (it ships
// whatever it is asked to), and the check must find the shipped unpaid and
// cancelled orders: it then exits 0 if it caught them.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "orders.hpp"
#include "orders_service.hpp"
#include "orders_workload.hpp"
#include "pq_session.hpp"

namespace eventstore::e2e {
namespace {

// An order as its stored events make it, judged event by event.
struct JudgedOrder {
  std::string status = "none";
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> lines;  // sku -> quantity, unit price
  std::int64_t paid_cents = 0;
  long long events = 0;

  [[nodiscard]] std::int64_t total_cents() const {
    std::int64_t total = 0;
    for (const auto& [sku, line] : lines) total += line.first * line.second;
    return total;
  }
};

// The rules of order.hpp, restated over stored events: the first broken one, or empty.
std::string judge(JudgedOrder& order, long long version, const std::string& type, const nlohmann::json& data,
                  const nlohmann::json& metadata) {
  if (version != order.events)
    return "version " + std::to_string(version) + " where " + std::to_string(order.events) + " was next";
  ++order.events;
  if (!metadata.is_object() || metadata.value("command_id", "").empty() || metadata.value("traceparent", "").empty())
    return "event without command id or trace context";
  if (order.status == "shipped") return type + " after the order shipped";
  if (order.status == "cancelled") return type + " after the order was cancelled";
  if (type == "OrderPlaced") {
    if (order.status != "none") return "placed twice";
    order.status = "placed";
    return {};
  }
  if (order.status == "none") return type + " before the order was placed";
  if (type == "LineAdded") {
    if (order.status != "placed") return "line added to a paid order";
    if (metadata.value("schema_version", 1) != 3) return "LineAdded not written in schema version 3";
    auto sku = data.at("sku").get<std::string>();
    auto quantity = data.at("quantity").get<std::int64_t>();
    auto price = data.at("unit_price_cents").get<std::int64_t>();
    auto& line = order.lines[sku];
    if (line.first > 0 && line.second != price) return "product " + sku + " at two prices";
    line = {line.first + quantity, price};
    return {};
  }
  if (type == "LineRemoved") {
    if (order.status != "placed") return "line removed from a paid order";
    if (order.lines.erase(data.at("sku").get<std::string>()) == 0) return "removed a line the order did not have";
    return {};
  }
  if (type == "PaymentConfirmed") {
    if (order.status != "placed") return "paid twice";
    if (order.lines.empty()) return "empty order paid";
    order.paid_cents = data.at("amount_cents").get<std::int64_t>();
    if (order.paid_cents != order.total_cents()) return "payment does not match the total";
    order.status = "paid";
    return {};
  }
  if (type == "OrderShipped") {
    if (order.status != "paid") return "shipped an unpaid order";
    order.status = "shipped";
    return {};
  }
  if (type == "OrderCancelled") {
    order.status = "cancelled";
    return {};
  }
  return "unknown event type " + type;
}

std::string status_name(orders::OrderStatus status) { return nlohmann::json(status).get<std::string>(); }

struct Findings {
  long long stored_events = 0;
  long long order_streams = 0;
  std::map<std::string, long long> violations;  // rule -> streams that break it
  std::vector<std::string> examples;
  long long unloadable = 0;
  long long state_mismatches = 0;

  void note(const std::string& rule, const std::string& example) {
    if (violations[rule]++ == 0) examples.push_back(example + ": " + rule);
  }
};

Findings check_store(PqSession& session, orders::OrdersService& service) {
  Findings findings;
  findings.stored_events = std::stoll(*session.must("SELECT count(*) FROM eventstore.events").rows.at(0).at(0));
  auto stored = session.must(
      "SELECT s.stream_name, e.version, e.event_type, e.data::text, coalesce(e.metadata::text, 'null') "
      "FROM eventstore.events e JOIN eventstore.streams s USING (stream_id) "
      "WHERE s.stream_name LIKE 'order-%' ORDER BY s.stream_name, e.version");
  std::map<std::string, JudgedOrder> judged;
  std::set<std::string> broken;
  for (const auto& row : stored.rows) {
    const std::string& stream = *row[0];
    JudgedOrder& order = judged[stream];
    if (broken.contains(stream)) continue;
    std::string rule;
    try {
      rule = judge(order, std::stoll(*row[1]), *row[2], nlohmann::json::parse(*row[3]), nlohmann::json::parse(*row[4]));
    } catch (const std::exception& failure) {
      rule = std::string{"unreadable event: "} + failure.what();
    }
    if (!rule.empty()) {
      broken.insert(stream);
      findings.note(rule, stream + "@" + *row[1]);
    }
  }
  findings.order_streams = static_cast<long long>(judged.size());
  // The decider-style view of the same streams, replayed without snapshots.
  eventstore::Repository<orders::decider::Shipping> shipping{service.client(), service.repository().registry()};
  for (const auto& [stream, order] : judged) {
    auto shipping_state = shipping.load(std::string_view{stream}.substr(6));
    if (!shipping_state) {
      if (findings.unloadable++ == 0) findings.examples.push_back(stream + ": " + shipping_state.error().describe());
      continue;
    }
    auto loaded = service.repository().load(std::string_view{stream}.substr(6));
    if (!loaded) {
      if (findings.unloadable++ == 0) findings.examples.push_back(stream + ": " + loaded.error().describe());
      continue;
    }
    if (broken.contains(stream)) continue;
    const orders::Order& state = loaded->state;
    if (loaded->version.value() + 1 != order.events || status_name(state.status) != order.status ||
        state.total_cents() != order.total_cents() || state.paid_cents != order.paid_cents ||
        shipping_state->state.shipped != (order.status == "shipped") ||
        shipping_state->state.cancelled != (order.status == "cancelled")) {
      if (findings.state_mismatches++ == 0)
        findings.examples.push_back(stream + ": the repository loads status " + status_name(state.status) +
                                    ", the stored events say " + order.status);
    }
  }
  return findings;
}

}  // namespace
}  // namespace eventstore::e2e

int main(int argc, char** argv) {
  using namespace eventstore::e2e;
  const bool control = argc > 1 && std::string_view{argv[1]} == "--control";
  if (argc > 2 || (argc == 2 && !control)) {
    std::fprintf(stderr, "usage: %s [--control]\n", argv[0]);
    return 2;
  }
  const char* database = control ? "eventstore_orders_check_control" : "eventstore_orders_check";
  create_test_database(database);
  const orders::WorkloadOptions workload{.threads = 8, .orders_per_thread = 40, .run_id = "check"};

  auto service = orders::OrdersService::connect(test_dsn(database), {.connections = 10});
  if (!service) {
    std::fprintf(stderr, "connect: %s\n", service.error().describe().c_str());
    return 1;
  }
  if (control) {
    // A handler that forgot the order's rules: it ships whatever it is asked to.
    auto& repository = (*service)->repository();
    (*service)->bus().handle<orders::ShipOrder>([&repository](const orders::ShipOrder& command) {
      return repository.update(command.order_id, [&](const orders::Order&) {
        return eventstore::Decision<orders::OrderShipped>{orders::OrderShipped{command.carrier}};
      });
    });
  }

  const auto result = orders::run_workload((*service)->bus(), workload);
  const auto statistics = (*service)->repository().statistics();
  const auto total = (*service)->metrics().total();
  PqSession session{test_dsn(database)};
  if (!session.connected()) {
    std::fprintf(stderr, "connect: %s\n", session.error().c_str());
    return 1;
  }
  const Findings findings = check_store(session, **service);

  long long rejected = 0;
  for (const auto& [reason, count] : result.rejections) rejected += static_cast<long long>(count);
  const bool events_match = findings.stored_events == static_cast<long long>(statistics.events_appended);
  const bool metrics_add_up = total.sent == result.commands_sent &&
                              total.succeeded + total.rejected + total.invalid + total.failed == total.sent &&
                              total.rejected == static_cast<std::uint64_t>(rejected) &&
                              total.events_appended == statistics.events_appended;
  const bool no_failures = result.failures.empty() && total.failed == 0 && statistics.conflict_retries_exhausted == 0;
  long long violating_streams = 0;
  for (const auto& [rule, streams] : findings.violations) violating_streams += streams;

  std::printf(
      "orders check (%s): %llu commands from %d threads, %llu succeeded, %llu rejected by rules, %llu invalid, "
      "%llu failed; %llu conflicts retried\n",
      control ? "negative control: ShipOrder without its rules" : "the sample as the demo runs it",
      static_cast<unsigned long long>(total.sent), workload.threads, static_cast<unsigned long long>(total.succeeded),
      static_cast<unsigned long long>(total.rejected), static_cast<unsigned long long>(total.invalid),
      static_cast<unsigned long long>(total.failed), static_cast<unsigned long long>(statistics.conflicts));
  std::printf("  events in the store %lld, appended per the repository %llu: %s\n", findings.stored_events,
              static_cast<unsigned long long>(statistics.events_appended), events_match ? "equal" : "DIFFERENT");
  std::printf("  order streams %lld: %lld break a business rule, %lld do not load, %lld load into another state\n",
              findings.order_streams, violating_streams, findings.unloadable, findings.state_mismatches);
  for (const auto& [rule, streams] : findings.violations) std::printf("    %5lld  %s\n", streams, rule.c_str());
  for (const auto& example : findings.examples) std::printf("    e.g. %s\n", example.c_str());
  std::printf("  metrics add up: %s; failures: %zu\n", metrics_add_up ? "yes" : "NO", result.failures.size());
  for (const auto& failure : result.failures) std::printf("    %s\n", failure.c_str());

  const bool clean = events_match && metrics_add_up && no_failures && violating_streams == 0 &&
                     findings.unloadable == 0 && findings.state_mismatches == 0 && findings.order_streams > 0;
  if (control) {
    const bool caught = findings.violations.contains("shipped an unpaid order") && !clean;
    std::printf("  negative control: the check %s the handler without rules\n", caught ? "caught" : "did NOT catch");
    return caught ? 0 : 1;
  }
  std::printf("  %s\n", clean ? "clean" : "FAILED");
  return clean ? 0 : 1;
}
