// The event type registry: C++ types to stored names and JSON and back, and
// the upcasters that bring events of older schema versions into the
// current types (the orders sample's LineAdded went from version 1 to 3).
#include "eventstore/framework/event_type_registry.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "../../client/examples/orders/order_event_types.hpp"
#include "eventstore/framework/event_metadata.hpp"

namespace eventstore {
namespace {

using orders::LineAdded;
using orders::OrderPlaced;

// A stored event as the server would return it.
RecordedEvent recorded(std::string type, std::string data, std::string metadata = {}) {
  return RecordedEvent{*StreamName::from("order-1"),
                       StreamVersion{4},
                       LogPosition{},
                       EventId::generate(),
                       std::move(type),
                       std::move(data),
                       std::move(metadata),
                       {}};
}

std::string metadata_of_version(int schema_version) {
  EventMetadata metadata;
  metadata.schema_version = schema_version;
  return metadata.to_json();
}

struct Unregistered {
  int value = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Unregistered, value)

TEST(EventTypeRegistry, EncodesAnEventWithItsNameDataAndSchemaVersion) {
  auto registry = orders::order_event_types();
  auto encoded = registry.encode(LineAdded{"A-100", 2, 1250});
  ASSERT_TRUE(encoded) << encoded.error().describe();
  EXPECT_EQ(encoded->type, "LineAdded");
  EXPECT_EQ(nlohmann::json::parse(encoded->data),
            (nlohmann::json{{"sku", "A-100"}, {"quantity", 2}, {"unit_price_cents", 1250}}));
  EXPECT_EQ(encoded->schema_version, 3);
}

TEST(EventTypeRegistry, DecodesTheCurrentVersion) {
  auto registry = orders::order_event_types();
  auto decoded = registry.decode<LineAdded>(
      recorded("LineAdded", R"({"sku": "A-100", "quantity": 2, "unit_price_cents": 1250})", metadata_of_version(3)));
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_EQ(decoded->sku, "A-100");
  EXPECT_EQ(decoded->quantity, 2);
  EXPECT_EQ(decoded->unit_price_cents, 1250);
}

TEST(EventTypeRegistry, OldEventsLoadIntoTheNewTypeThroughTheChainOfUpcasters) {
  auto registry = orders::order_event_types();
  // Version 1: "qty" and a price in currency units; no schema_version in the metadata means 1.
  auto from_version_1 =
      registry.decode<LineAdded>(recorded("LineAdded", R"({"sku": "A-100", "qty": 3, "price": 12.5})"));
  ASSERT_TRUE(from_version_1) << from_version_1.error().describe();
  EXPECT_EQ(from_version_1->quantity, 3);
  EXPECT_EQ(from_version_1->unit_price_cents, 1250);

  // Version 2: "quantity", price still in currency units.
  auto from_version_2 = registry.decode<LineAdded>(
      recorded("LineAdded", R"({"sku": "B-7", "quantity": 1, "price": 0.99})", metadata_of_version(2)));
  ASSERT_TRUE(from_version_2) << from_version_2.error().describe();
  EXPECT_EQ(from_version_2->sku, "B-7");
  EXPECT_EQ(from_version_2->quantity, 1);
  EXPECT_EQ(from_version_2->unit_price_cents, 99);
}

TEST(EventTypeRegistry, OnlyTheStepsFromTheStoredVersionRun) {
  EventTypeRegistry registry;
  std::vector<int> ran;
  registry.add<LineAdded>("LineAdded", 3)
      .upcast(1,
              [&](nlohmann::json data) {
                ran.push_back(1);
                return data;
              })
      .upcast(2, [&](nlohmann::json data) {
        ran.push_back(2);
        return data;
      });
  auto data = registry.current_data("LineAdded", R"({"sku": "x", "quantity": 1, "unit_price_cents": 1})", 2);
  ASSERT_TRUE(data);
  EXPECT_EQ(ran, std::vector<int>{2});
}

TEST(EventTypeRegistry, ReportsWhatItCannotRead) {
  auto registry = orders::order_event_types();
  auto unknown = registry.current_data(recorded("GiftWrapped", "{}"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind(), CommandErrorKind::event_not_readable);
  EXPECT_NE(unknown.error().message().find("GiftWrapped"), std::string::npos);

  auto newer = registry.current_data(recorded("LineAdded", "{}", metadata_of_version(4)));
  ASSERT_FALSE(newer);
  EXPECT_NE(newer.error().message().find("newer"), std::string::npos) << newer.error().message();

  auto wrong_shape =
      registry.decode<OrderPlaced>(recorded("OrderPlaced", R"({"customer": 7})", metadata_of_version(1)));
  ASSERT_FALSE(wrong_shape);
  EXPECT_EQ(wrong_shape.error().kind(), CommandErrorKind::event_not_readable);
  EXPECT_NE(wrong_shape.error().message().find("order-1@4"), std::string::npos) << wrong_shape.error().message();

  auto other_type = registry.decode<OrderPlaced>(recorded("LineAdded", "{}", metadata_of_version(3)));
  ASSERT_FALSE(other_type);
  EXPECT_EQ(other_type.error().kind(), CommandErrorKind::event_not_readable);

  // An upcaster that fails (here: a version 1 event without "qty") is an error, not an exception.
  auto broken_old = registry.decode<LineAdded>(recorded("LineAdded", R"({"sku": "A"})"));
  ASSERT_FALSE(broken_old);
  EXPECT_NE(broken_old.error().message().find("upcaster"), std::string::npos) << broken_old.error().message();
}

TEST(EventTypeRegistry, AnUnregisteredTypeIsAnError) {
  auto registry = orders::order_event_types();
  auto encoded = registry.encode(Unregistered{1});
  ASSERT_FALSE(encoded);
  EXPECT_EQ(encoded.error().kind(), CommandErrorKind::event_type_not_registered);
  EXPECT_NE(encoded.error().message().find("eventstore::(anonymous namespace)::Unregistered"), std::string::npos)
      << encoded.error().message();
}

TEST(EventTypeRegistry, MistakesInTheSetUpThrow) {
  EventTypeRegistry registry;
  registry.add<OrderPlaced>("OrderPlaced");
  EXPECT_THROW(registry.add<LineAdded>("OrderPlaced"), std::logic_error);
  EXPECT_THROW(registry.add<OrderPlaced>("OrderCreated"), std::logic_error);
  EXPECT_THROW(registry.add<LineAdded>(""), std::logic_error);
  EXPECT_THROW(registry.add<LineAdded>("Line\nAdded"), std::logic_error);
  EXPECT_THROW(registry.add<LineAdded>("LineAdded", 0), std::logic_error);
  auto registration = registry.add<LineAdded>("LineAdded", 2);
  EXPECT_THROW(registration.upcast(2, [](nlohmann::json data) { return data; }), std::logic_error);
  EXPECT_THROW(registration.upcast(0, [](nlohmann::json data) { return data; }), std::logic_error);
}

TEST(EventTypeRegistry, ListsGapsInTheChainOfUpcasters) {
  EventTypeRegistry registry;
  registry.add<LineAdded>("LineAdded", 3).upcast(2, [](nlohmann::json data) { return data; });
  EXPECT_EQ(registry.missing_upcasters(), std::vector<std::string>{"LineAdded: no upcaster from schema version 1"});
  EXPECT_TRUE(orders::order_event_types().missing_upcasters().empty());
}

TEST(EventTypeRegistry, CopiesAreIndependent) {
  EventTypeRegistry original;
  original.add<OrderPlaced>("OrderPlaced");
  EventTypeRegistry copy = original;
  copy.add<LineAdded>("LineAdded");
  EXPECT_EQ(original.find<LineAdded>(), nullptr);
  ASSERT_NE(copy.find<OrderPlaced>(), nullptr);
  EXPECT_EQ(copy.find("OrderPlaced"), copy.find<OrderPlaced>());
}

}  // namespace
}  // namespace eventstore
