// The shared conformance suite: snapshots (save_snapshot, load).
#include "event_store_conformance.hpp"

namespace eventstore::conformance {
namespace {

std::vector<std::int64_t> loaded_versions(const LoadedStream& loaded) {
  std::vector<std::int64_t> versions;
  for (const RecordedEvent& event : loaded.events) versions.push_back(event.version.value());
  return versions;
}

TEST_P(EventStoreConformance, LoadGivesTheNewestSnapshotAndTheEventsAfterIt) {
  ASSERT_TRUE(store().append(stream("account-1"), ExpectedVersion::no_stream(), make_events(5)));
  ASSERT_TRUE(store().save_snapshot(stream("account-1"), StreamVersion{1}, R"({"balance": 1})"));
  auto saved = store().save_snapshot(stream("account-1"), StreamVersion{2}, R"({"balance":2})");
  ASSERT_TRUE(saved) << saved.error().describe();
  auto loaded = store().load(stream("account-1"));
  ASSERT_TRUE(loaded) << loaded.error().describe();
  ASSERT_TRUE(loaded->snapshot);
  EXPECT_EQ(loaded->snapshot->version, StreamVersion{2});
  EXPECT_EQ(loaded->snapshot->state, R"({"balance": 2})");
  EXPECT_EQ(loaded_versions(*loaded), (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(loaded->events.front().stream, stream("account-1"));
  EXPECT_EQ(loaded->events.front().data, R"({"index": 3})");
}

TEST_P(EventStoreConformance, ASnapshotOfAnotherShapeIsIgnored) {
  ASSERT_TRUE(store().append(stream("account-1"), ExpectedVersion::no_stream(), make_events(3)));
  ASSERT_TRUE(store().save_snapshot(stream("account-1"), StreamVersion{2}, "{}", {.state_schema_version = 2}));
  auto loaded = store().load(stream("account-1"), {.state_schema_version = 1});
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_FALSE(loaded->snapshot);
  EXPECT_EQ(loaded_versions(*loaded), (std::vector<std::int64_t>{0, 1, 2}));
  auto shaped = store().load(stream("account-1"), {.state_schema_version = 2});
  ASSERT_TRUE(shaped && shaped->snapshot);
  EXPECT_TRUE(shaped->events.empty());
}

TEST_P(EventStoreConformance, SavingTheSameVersionReplacesItAndKeepPrunes) {
  ASSERT_TRUE(store().append(stream("account-1"), ExpectedVersion::no_stream(), make_events(4)));
  ASSERT_TRUE(store().save_snapshot(stream("account-1"), StreamVersion{3}, R"({"n": 1})"));
  ASSERT_TRUE(store().save_snapshot(stream("account-1"), StreamVersion{3}, R"({"n": 2})"));
  auto loaded = store().load(stream("account-1"));
  ASSERT_TRUE(loaded && loaded->snapshot);
  EXPECT_EQ(loaded->snapshot->state, R"({"n": 2})");
  // keep = 1 keeps only the snapshot just saved, of whatever shape.
  ASSERT_TRUE(
      store().save_snapshot(stream("account-1"), StreamVersion{1}, "{}", {.state_schema_version = 2, .keep = 1}));
  auto pruned = store().load(stream("account-1"));
  ASSERT_TRUE(pruned) << pruned.error().describe();
  EXPECT_FALSE(pruned->snapshot);
}

TEST_P(EventStoreConformance, LoadPagesWithMaxCount) {
  ASSERT_TRUE(store().append(stream("account-1"), ExpectedVersion::no_stream(), make_events(5)));
  auto loaded = store().load(stream("account-1"), {.max_count = 2});
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded_versions(*loaded), (std::vector<std::int64_t>{0, 1}));
  auto missing = store().load(stream("account-404"));
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->snapshot);
  EXPECT_TRUE(missing->events.empty());
  auto refused = store().load(stream("account-1"), {.max_count = 0});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::invalid_argument);
}

TEST_P(EventStoreConformance, BadSnapshotsAreInvalidAndWriteNothing) {
  ASSERT_TRUE(store().append(stream("account-1"), ExpectedVersion::no_stream(), make_events(3)));
  ASSERT_TRUE(store().save_snapshot(stream("account-1"), StreamVersion{0}, R"({"kept": true})"));
  struct BadSave {
    const char* stream;
    std::int64_t version;
    const char* state;
    SaveSnapshotOptions options;
    ErrorCode code;
  };
  const BadSave bad[] = {
      {"account-1", 3, "{}", {}, ErrorCode::invalid_snapshot},           // beyond the stream
      {"account-1", -1, "{}", {}, ErrorCode::invalid_snapshot},          // below it
      {"account-404", 0, "{}", {}, ErrorCode::invalid_snapshot},         // no such stream
      {"account-1", 2, "{}", {.keep = 0}, ErrorCode::invalid_snapshot},  // keep < 1
      {"account-1", 2, "{not json", {}, ErrorCode::invalid_json},
  };
  for (const BadSave& save : bad) {
    auto refused = store().save_snapshot(stream(save.stream), StreamVersion{save.version}, save.state, save.options);
    ASSERT_FALSE(refused) << save.stream << " " << save.version;
    EXPECT_EQ(refused.error().code(), save.code) << refused.error().describe();
    if (save.code == ErrorCode::invalid_snapshot) {
      EXPECT_EQ(refused.error().sqlstate(), "22V10");
    }
    EXPECT_FALSE(refused.error().retryable());
  }
  auto loaded = store().load(stream("account-1"));
  ASSERT_TRUE(loaded && loaded->snapshot);
  EXPECT_EQ(loaded->snapshot->version, StreamVersion{0});
  EXPECT_EQ(loaded->snapshot->state, R"({"kept": true})");
}

}  // namespace
}  // namespace eventstore::conformance
