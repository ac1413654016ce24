// The behaviour every pair of event store and SubscriptionStore shares, with
// eventstore::Subscription running on top: written once and run against the
// in-memory test kit (unit tests) and the real server (client tests).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "../client/printers.hpp"
#include "eventstore/eventstore.hpp"
#include "eventstore/subscriptions.hpp"

namespace eventstore::conformance {

// An event store with its subscription store (often one object), and
// whatever owns them.
struct SubscriptionBackend {
  std::shared_ptr<void> owner;
  FullEventStore* events = nullptr;
  SubscriptionStore* subscriptions = nullptr;
};

using SubscriptionBackendFactory = std::function<Result<SubscriptionBackend>()>;

struct SubscriptionsUnderTest {
  std::string name;  // letters, digits and '_'
  SubscriptionBackendFactory make;
};

inline void PrintTo(const SubscriptionsUnderTest& backend, std::ostream* out) { *out << backend.name; }

[[nodiscard]] inline std::string subscriptions_name(const ::testing::TestParamInfo<SubscriptionsUnderTest>& info) {
  return info.param.name;
}

class SubscriptionConformance : public ::testing::TestWithParam<SubscriptionsUnderTest> {
 protected:
  void SetUp() override;

  [[nodiscard]] FullEventStore& events() { return *backend_.events; }
  [[nodiscard]] SubscriptionStore& subscriptions() { return *backend_.subscriptions; }

  // Appends `count` events of `type` to the stream, one append each.
  void append(const std::string& stream, int count, const std::string& type = "Happened");
  // Options with short pauses, so that the tests run quickly.
  [[nodiscard]] static SubscriptionOptions quick_options(const std::string& name);

 private:
  SubscriptionBackend backend_;
};

}  // namespace eventstore::conformance
