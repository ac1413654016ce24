// The orders sample wired as an application runs it against a server: one
// Client (its pool also serves the snapshots), the order repository with
// snapshots and conflict retries, and a command bus with logging, metrics,
// tracing, idempotency, deadline and retry middleware. orders_demo runs it,
// and the end-to-end check (tests/e2e/orders_check.cpp) holds what it
// reports against the store.
//
//   auto service = orders::OrdersService::connect(dsn, {.connections = 10});
//   if (!service) return fail(service.error());
//   auto outcome = (*service)->bus().send(orders::PlaceOrder{"42", "c-7", "EUR"});
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>
#include <utility>

#include <eventstore/eventstore.hpp>

#include "order.hpp"
#include "order_event_types.hpp"
#include "order_handlers.hpp"

namespace orders {

struct OrdersServiceOptions {
  // The Client's pool: about one connection per thread that sends commands.
  std::size_t connections = 10;
  // Where the logging middleware reports commands; none: no logging.
  eventstore::CommandLogger logger{};
  // A snapshot after every this many events of an order.
  std::int64_t snapshot_every = 20;
};

class OrdersService {
 public:
  [[nodiscard]] static eventstore::Result<std::unique_ptr<OrdersService>> connect(std::string_view dsn,
                                                                                  OrdersServiceOptions options = {}) {
    auto client = eventstore::Client::connect(dsn, {.pool = {.max_size = options.connections}});
    if (!client) return std::unexpected(std::move(client.error()));
    return std::unique_ptr<OrdersService>{new OrdersService{std::move(*client), std::move(options)}};
  }

  OrdersService(const OrdersService&) = delete;
  OrdersService& operator=(const OrdersService&) = delete;

  [[nodiscard]] eventstore::CommandBus& bus() noexcept { return bus_; }
  [[nodiscard]] eventstore::Repository<Order>& repository() noexcept { return repository_; }
  [[nodiscard]] eventstore::Client& client() noexcept { return client_; }
  [[nodiscard]] const eventstore::CommandMetrics& metrics() const noexcept { return metrics_; }

 private:
  OrdersService(eventstore::Client client, OrdersServiceOptions options)
      : client_(std::move(client)),
        registry_(order_event_types()),
        repository_(client_, client_, registry_,
                    {.snapshots = eventstore::snapshot_every(options.snapshot_every),
                     // Many threads on a few hot orders: retry often, with a short random pause.
                     .conflicts = {.max_attempts = 30, .max_pause = std::chrono::milliseconds{2}}}) {
    // The first middleware added is the outermost.
    if (options.logger) bus_.use(eventstore::logging_middleware(std::move(options.logger)));
    bus_.use(eventstore::metrics_middleware(metrics_));
    bus_.use(eventstore::tracing_middleware());
    bus_.use(eventstore::idempotency_middleware(idempotency_));
    bus_.use(eventstore::deadline_middleware(std::chrono::seconds{5}));
    bus_.use(eventstore::retry_middleware({.max_attempts = 3}));
    handle_order_commands(bus_, repository_);
  }

  eventstore::Client client_;
  eventstore::EventTypeRegistry registry_;
  eventstore::Repository<Order> repository_;
  eventstore::CommandMetrics metrics_;
  eventstore::IdempotencyStore idempotency_;
  eventstore::CommandBus bus_;
};

}  // namespace orders
