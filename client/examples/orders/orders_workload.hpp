// A few thousand order commands from several threads at once, as the demo
// and its integration test send them: every thread runs the life of its own
// orders (with commands that break the rules on purpose, an invalid one now
// and then, and a command sent twice with the same id), and between them
// adds and removes lines on a few hot orders that all threads share, so
// that concurrent commands on one order conflict and are retried.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <eventstore/framework/command_bus.hpp>

#include "order_commands.hpp"

namespace orders {

struct WorkloadOptions {
  int threads = 8;
  int orders_per_thread = 60;
  int hot_orders = 4;
  int hot_commands_per_thread = 100;
  // Makes the order ids of one run unique in the store.
  std::string run_id = "run";
  std::uint64_t seed = 42;
};

struct WorkloadResult {
  std::chrono::steady_clock::duration elapsed{};
  std::uint64_t commands_sent = 0;
  std::vector<std::string> hot_order_ids;
  // The order of thread 0 that was paid, shipped, then asked to change: a stream worth showing.
  std::string showcase_order_id;
  // How often each business rule refused a command.
  std::map<std::string, std::uint64_t> rejections;
  std::uint64_t invalid_commands = 0;
  std::uint64_t repeated_commands = 0;
  // Failures other than rules and validation (store errors, ...): none expected.
  std::vector<std::string> failures;
};

namespace detail {

class WorkloadTally {
 public:
  void count(const eventstore::CommandResult<eventstore::CommandOutcome>& result) {
    std::lock_guard lock{mutex_};
    ++result_.commands_sent;
    if (result) {
      if (result->repeated) ++result_.repeated_commands;
    } else if (result.error().kind() == eventstore::CommandErrorKind::rejected) {
      ++result_.rejections[result.error().message()];
    } else if (result.error().kind() == eventstore::CommandErrorKind::invalid_command) {
      ++result_.invalid_commands;
    } else {
      result_.failures.push_back(result.error().describe());
    }
  }
  [[nodiscard]] WorkloadResult take() { return std::move(result_); }

 private:
  std::mutex mutex_;
  WorkloadResult result_;
};

class OrderClerk {
 public:
  OrderClerk(eventstore::CommandBus& bus, const WorkloadOptions& options, const std::vector<std::string>& hot_orders,
             WorkloadTally& tally, int thread)
      : bus_(&bus),
        options_(&options),
        hot_orders_(&hot_orders),
        tally_(&tally),
        thread_(thread),
        hot_commands_left_(hot_orders.empty() ? 0 : options.hot_commands_per_thread),
        random_(options.seed + static_cast<std::uint64_t>(thread)) {}

  void run() {
    for (int number = 0; number < options_->orders_per_thread; ++number) run_order(number);
    while (hot_commands_left_ > 0) hot_command();
  }

  [[nodiscard]] const std::string& showcase_order_id() const noexcept { return showcase_order_id_; }

  [[nodiscard]] std::string order_id(int number) const {
    return options_->run_id + "-t" + std::to_string(thread_) + "-" + std::to_string(number);
  }

 private:
  template <class Command>
  eventstore::CommandResult<eventstore::CommandOutcome> send(const Command& command,
                                                             eventstore::CommandContext context = {}) {
    auto result = bus_->send(command, std::move(context));
    tally_->count(result);
    // Spread the hot commands over the run, so that they meet those of other threads.
    if (hot_commands_left_ > 0 && next(3) == 0) hot_command();
    return result;
  }

  void run_order(int number) {
    const std::string id = order_id(number);
    send(PlaceOrder{id, "customer-" + std::to_string(next(500)), "EUR"});
    std::map<std::string, std::int64_t> totals;
    const auto line_count = 1 + next(3);
    for (std::uint64_t line = 0; line < line_count; ++line) {
      std::string sku = "SKU-" + std::to_string(100 + next(40));
      std::int64_t price = 199 + static_cast<std::int64_t>(next(10)) * 250;
      std::int64_t quantity = 1 + static_cast<std::int64_t>(next(4));
      // A product keeps one price on an order: the second price is rejected.
      if (send(AddLine{id, sku, quantity, price})) totals[sku] += quantity * price;
    }
    auto total = [&] {
      std::int64_t sum = 0;
      for (const auto& [sku, amount] : totals) sum += amount;
      return sum;
    };
    auto pay = [&] { send(ConfirmPayment{id, total(), "pay-" + id}); };
    switch (number % 8) {
      case 0:  // shipping before paying is refused
        send(ShipOrder{id, "DHL"});
        pay();
        send(ShipOrder{id, "DHL"});
        break;
      case 1: {  // an empty order cannot be paid
        const std::string empty = id + "-empty";
        send(PlaceOrder{empty, "customer-empty", "EUR"});
        send(ConfirmPayment{empty, 100, "pay-" + empty});
        send(CancelOrder{empty, "nothing ordered"});
        pay();
        break;
      }
      case 2:  // removing a line the order does not have is refused
        send(RemoveLine{id, "SKU-999"});
        if (!totals.empty() && send(RemoveLine{id, totals.begin()->first})) totals.erase(totals.begin());
        if (!totals.empty()) pay();
        break;
      case 3:  // a wrong amount, then the right one; then nothing changes after shipping
        send(ConfirmPayment{id, total() + 1, "pay-" + id});
        pay();
        send(ShipOrder{id, "UPS"});
        send(AddLine{id, "SKU-100", 1, 199});
        send(CancelOrder{id, "too late"});
        if (thread_ == 0 && number == 3) showcase_order_id_ = id;
        break;
      case 4:  // a cancelled order does not ship
        send(CancelOrder{id, "customer changed their mind"});
        send(ShipOrder{id, "DHL"});
        break;
      case 5:  // an invalid command never reaches the order
        send(AddLine{id, "", 0, 199});
        pay();
        send(ShipOrder{id, "DPD"});
        break;
      case 6: {  // the same command twice: the second gets the first outcome
        pay();
        eventstore::CommandContext context{.command_id = "ship-" + id};
        send(ShipOrder{id, "DHL"}, context);
        send(ShipOrder{id, "DHL"}, context);
        break;
      }
      default:
        pay();
        send(ShipOrder{id, "GLS"});
        break;
    }
  }

  void hot_command() {
    --hot_commands_left_;
    const std::string& order = (*hot_orders_)[next(hot_orders_->size())];
    auto product = next(5);
    std::string sku = "HOT-" + std::to_string(product);
    auto result = next(10) < 7 ? bus_->send(AddLine{order, sku, 1, 100 + static_cast<std::int64_t>(product) * 100})
                               : bus_->send(RemoveLine{order, sku});
    tally_->count(result);
  }

  [[nodiscard]] std::uint64_t next(std::uint64_t bound) {
    return std::uniform_int_distribution<std::uint64_t>{0, bound - 1}(random_);
  }

  eventstore::CommandBus* bus_;
  const WorkloadOptions* options_;
  const std::vector<std::string>* hot_orders_;
  WorkloadTally* tally_;
  int thread_;
  int hot_commands_left_;
  std::mt19937_64 random_;
  std::string showcase_order_id_;
};

}  // namespace detail

// Places the hot orders, then runs the threads to the end.
[[nodiscard]] inline WorkloadResult run_workload(eventstore::CommandBus& bus, const WorkloadOptions& options) {
  detail::WorkloadTally tally;
  std::vector<std::string> hot_orders;
  for (int hot = 0; hot < options.hot_orders; ++hot) {
    hot_orders.push_back(options.run_id + "-hot-" + std::to_string(hot));
    tally.count(bus.send(PlaceOrder{hot_orders.back(), "customer-hot", "EUR"}));
  }
  std::vector<detail::OrderClerk> clerks;
  clerks.reserve(static_cast<std::size_t>(options.threads));
  for (int thread = 0; thread < options.threads; ++thread) clerks.emplace_back(bus, options, hot_orders, tally, thread);

  auto started = std::chrono::steady_clock::now();
  {
    std::vector<std::jthread> threads;
    for (auto& clerk : clerks) threads.emplace_back([&clerk] { clerk.run(); });
  }
  WorkloadResult result = tally.take();
  result.elapsed = std::chrono::steady_clock::now() - started;
  result.hot_order_ids = std::move(hot_orders);
  result.showcase_order_id = clerks.empty() ? std::string{} : clerks.front().showcase_order_id();
  return result;
}

}  // namespace orders
