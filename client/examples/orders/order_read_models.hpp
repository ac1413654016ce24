// The orders' read models, fed by one projection ("orders"): a summary per
// order, orders and revenue per customer, and revenue per day and currency.
// The handler is SQL over the events' JSON: it reads LineAdded in all three
// schema versions (order_events.hpp), as the upcasters do.
//
// Version 2 is what a team would ship next: the summary also keeps the
// carrier of a shipped order. Starting it rebuilds every table from the
// start of the log into orders_v2 while version 1 serves; promote() switches.
#pragma once

#include <chrono>
#include <string>

#include <eventstore/projections.hpp>

namespace orders {

[[nodiscard]] inline std::string event_time(const eventstore::RecordedEvent& event) {
  return std::to_string(event.created_at.time_since_epoch().count());
}

[[nodiscard]] inline eventstore::ProjectionDefinition order_read_models(int version) {
  eventstore::ProjectionDefinition definition;
  definition.name = "orders";
  definition.version = version;
  definition.source = eventstore::SubscriptionSource::of_category("order");
  definition.tables = {"order_summary", "orders_per_customer", "revenue_per_day"};
  definition.create_sql =
      std::string{
          "CREATE TABLE {schema}.order_summary (order_id text PRIMARY KEY, customer text NOT NULL, "
          "currency text NOT NULL, status text NOT NULL, items bigint NOT NULL DEFAULT 0, "
          "total_cents bigint NOT NULL DEFAULT 0, paid_cents bigint NOT NULL DEFAULT 0, placed_at timestamptz NOT "
          "NULL"} +
      (version >= 2 ? ", carrier text" : "") +
      ");"
      "CREATE TABLE {schema}.order_lines (order_id text, sku text, quantity bigint NOT NULL, "
      "unit_price_cents bigint NOT NULL, PRIMARY KEY (order_id, sku));"
      "CREATE TABLE {schema}.orders_per_customer (customer text PRIMARY KEY, orders bigint NOT NULL, "
      "paid_orders bigint NOT NULL DEFAULT 0, revenue_cents bigint NOT NULL DEFAULT 0);"
      "CREATE TABLE {schema}.revenue_per_day (day date, currency text, paid_orders bigint NOT NULL, "
      "revenue_cents bigint NOT NULL, PRIMARY KEY (day, currency))";
  definition.handle = [version](const eventstore::RecordedEvent& event,
                                eventstore::ProjectionContext& context) -> eventstore::HandlerResult {
    const std::string order_id = event.stream.value().substr(event.stream.value().find('-') + 1);
    // Every statement gets the same three parameters; the leading CTE names
    // their types, which statements that use only some would leave unknown.
    auto run = [&](const std::string& sql) -> eventstore::HandlerResult {
      const std::string typed = "WITH parameters AS (SELECT $1::text, $2::jsonb, $3::bigint)";
      const std::string statement = sql.starts_with("WITH ") ? typed + ", " + sql.substr(5) : typed + " " + sql;
      auto done = context.sql().execute(statement, {order_id, event.data, event_time(event)});
      if (!done) return std::unexpected(done.error().describe());
      return {};
    };
    const std::string summary = context.table("order_summary");
    const std::string lines = context.table("order_lines");
    // $1 the order, $2 the event's data, $3 its time in microseconds since 1970.
    if (event.type == "OrderPlaced") {
      if (auto done = run("INSERT INTO " + summary +
                          " (order_id, customer, currency, status, placed_at) "
                          "VALUES ($1, $2::jsonb ->> 'customer', $2::jsonb ->> 'currency', 'placed', "
                          "to_timestamp($3::bigint / 1e6)) ON CONFLICT DO NOTHING");
          !done)
        return done;
      return run("INSERT INTO " + context.table("orders_per_customer") +
                 " AS c (customer, orders) VALUES ($2::jsonb ->> 'customer', 1) "
                 "ON CONFLICT (customer) DO UPDATE SET orders = c.orders + 1");
    }
    if (event.type == "LineAdded") {
      // Versions 1 and 2 had "qty"/"quantity" and a price in currency units.
      const std::string quantity = "coalesce(($2::jsonb ->> 'quantity')::bigint, ($2::jsonb ->> 'qty')::bigint)";
      const std::string price =
          "coalesce(($2::jsonb ->> 'unit_price_cents')::bigint, round(($2::jsonb ->> 'price')::numeric * 100)::bigint)";
      if (auto done = run("INSERT INTO " + lines + " AS l VALUES ($1, $2::jsonb ->> 'sku', " + quantity + ", " + price +
                          ") ON CONFLICT (order_id, sku) DO UPDATE SET quantity = l.quantity + excluded.quantity");
          !done)
        return done;
      return run("UPDATE " + summary + " SET items = items + " + quantity + ", total_cents = total_cents + " +
                 quantity + " * " + price + " WHERE order_id = $1");
    }
    if (event.type == "LineRemoved")
      return run("WITH removed AS (DELETE FROM " + lines +
                 " WHERE order_id = $1 AND sku = $2::jsonb ->> 'sku' RETURNING quantity, unit_price_cents) "
                 "UPDATE " +
                 summary +
                 " s SET items = s.items - r.quantity, total_cents = s.total_cents - r.quantity * r.unit_price_cents "
                 "FROM removed r WHERE s.order_id = $1");
    if (event.type == "PaymentConfirmed") {
      if (auto done =
              run("UPDATE " + summary +
                  " SET status = 'paid', paid_cents = ($2::jsonb ->> 'amount_cents')::bigint WHERE order_id = $1");
          !done)
        return done;
      if (auto done = run("UPDATE " + context.table("orders_per_customer") +
                          " c SET paid_orders = c.paid_orders + 1, revenue_cents = c.revenue_cents + "
                          "($2::jsonb ->> 'amount_cents')::bigint FROM " +
                          summary + " s WHERE s.order_id = $1 AND c.customer = s.customer");
          !done)
        return done;
      return run("INSERT INTO " + context.table("revenue_per_day") +
                 " AS d SELECT (to_timestamp($3::bigint / 1e6) AT TIME ZONE 'UTC')::date, s.currency, 1, "
                 "($2::jsonb ->> 'amount_cents')::bigint FROM " +
                 summary +
                 " s WHERE s.order_id = $1 ON CONFLICT (day, currency) DO UPDATE SET "
                 "paid_orders = d.paid_orders + 1, revenue_cents = d.revenue_cents + excluded.revenue_cents");
    }
    if (event.type == "OrderShipped")
      return run("UPDATE " + summary + " SET status = 'shipped'" +
                 (version >= 2 ? ", carrier = $2::jsonb ->> 'carrier'" : "") + " WHERE order_id = $1");
    if (event.type == "OrderCancelled")
      return run("UPDATE " + summary + " SET status = 'cancelled' WHERE order_id = $1");
    return {};
  };
  return definition;
}

}  // namespace orders
