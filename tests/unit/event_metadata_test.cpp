// The metadata the command side writes on every event, and how leniently it
// reads metadata written by others.
#include "eventstore/framework/event_metadata.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace eventstore {
namespace {

TEST(EventMetadata, RoundTripsThroughJson) {
  EventMetadata metadata{"command-1", "correlation-1", "command-1",
                         "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", 3};
  auto json = nlohmann::json::parse(metadata.to_json());
  EXPECT_EQ(json, (nlohmann::json{{"command_id", "command-1"},
                                  {"correlation_id", "correlation-1"},
                                  {"causation_id", "command-1"},
                                  {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
                                  {"schema_version", 3}}));
  EXPECT_EQ(EventMetadata::parse(metadata.to_json()), metadata);
}

TEST(EventMetadata, LeavesOutEmptyFields) {
  EventMetadata metadata;
  metadata.command_id = "c";
  EXPECT_EQ(nlohmann::json::parse(metadata.to_json()), (nlohmann::json{{"command_id", "c"}, {"schema_version", 1}}));
}

TEST(EventMetadata, ReadsForeignMetadataAsDefaults) {
  EXPECT_EQ(EventMetadata::parse(""), EventMetadata{});
  EXPECT_EQ(EventMetadata::parse("not json"), EventMetadata{});
  EXPECT_EQ(EventMetadata::parse("[1, 2]"), EventMetadata{});
  auto partial =
      EventMetadata::parse(R"({"correlation_id": "x", "command_id": 7, "schema_version": "2", "user": "u"})");
  EXPECT_EQ(partial.correlation_id, "x");
  EXPECT_EQ(partial.command_id, "");
  EXPECT_EQ(partial.schema_version, 1);
}

TEST(EventMetadata, FindsTheSchemaVersionAlone) {
  EXPECT_EQ(EventMetadata::schema_version_of(""), 1);
  EXPECT_EQ(EventMetadata::schema_version_of(R"({"correlation_id": "x"})"), 1);
  EXPECT_EQ(EventMetadata::schema_version_of(R"({"schema_version": 4})"), 4);
  EXPECT_EQ(EventMetadata::schema_version_of(R"({"schema_version": 0})"), 1);
  EXPECT_EQ(EventMetadata::schema_version_of(R"({"schema_version": 2.5})"), 1);
}

}  // namespace
}  // namespace eventstore
