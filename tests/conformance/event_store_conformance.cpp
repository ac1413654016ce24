#include "event_store_conformance.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>
#include <unordered_set>

namespace eventstore::conformance {

void EventStoreConformance::SetUp() {
  auto made = GetParam().make();
  ASSERT_TRUE(made) << "cannot make the store under test: " << made.error().describe();
  ASSERT_NE(*made, nullptr);
  store_ = std::move(*made);
}

StreamName EventStoreConformance::stream(const std::string& name) {
  auto stream = StreamName::from(name);
  if (!stream) {
    ADD_FAILURE() << "invalid stream name in a test: " << stream.error().describe();
    return *StreamName::from("invalid-test-name");
  }
  return *stream;
}

std::vector<EventData> EventStoreConformance::make_events(int count, const std::string& type) {
  std::vector<EventData> events;
  for (int i = 0; i < count; ++i) events.push_back(EventData::create(type, "{\"index\": " + std::to_string(i) + "}"));
  return events;
}

std::vector<RecordedEvent> EventStoreConformance::whole_log(std::int32_t page_size) {
  std::vector<RecordedEvent> log;
  std::optional<LogPosition> checkpoint;
  for (;;) {
    auto page = store().read_all(checkpoint, page_size);
    EXPECT_TRUE(page) << page.error().describe();
    if (!page || page->empty()) return log;
    checkpoint = page->back().log_position;
    for (RecordedEvent& event : *page) log.push_back(std::move(event));
  }
}

std::vector<std::int64_t> EventStoreConformance::versions_of(const std::vector<RecordedEvent>& events) {
  std::vector<std::int64_t> versions;
  for (const RecordedEvent& event : events) versions.push_back(event.version.value());
  return versions;
}

namespace {

using Versions = std::vector<std::int64_t>;

template <class T>
std::optional<Error> error_of(const Result<T>& result) {
  if (result) return std::nullopt;
  return result.error();
}

// ---------------------------------------------------------------- expected versions

TEST_P(EventStoreConformance, NoStreamCreatesTheStream) {
  auto appended = store().append(stream("order-1"), ExpectedVersion::no_stream(), make_events(3));
  ASSERT_TRUE(appended) << appended.error().describe();
  EXPECT_EQ(appended->next_expected_version, StreamVersion{2});
  auto version = store().stream_version(stream("order-1"));
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, StreamVersion{2});
}

TEST_P(EventStoreConformance, NoStreamOnAnExistingStreamConflictsWithItsVersion) {
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::no_stream(), make_events(2)));
  auto conflict = store().append(stream("order-1"), ExpectedVersion::no_stream(), make_events(1));
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code(), ErrorCode::wrong_expected_version);
  EXPECT_EQ(conflict.error().sqlstate(), "23V01");
  EXPECT_EQ(conflict.error().actual_version(), StreamVersion{1});
  EXPECT_FALSE(conflict.error().retryable());
}

TEST_P(EventStoreConformance, AnExactVersionMustMatch) {
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::no_stream(), make_events(3)));
  for (std::int64_t wrong : {0, 1, 3, 100}) {
    auto conflict = store().append(stream("order-1"), ExpectedVersion::exactly(StreamVersion{wrong}), make_events(1));
    ASSERT_FALSE(conflict) << wrong;
    EXPECT_EQ(conflict.error().code(), ErrorCode::wrong_expected_version);
    EXPECT_EQ(conflict.error().actual_version(), StreamVersion{2}) << wrong;
  }
  auto appended = store().append(stream("order-1"), ExpectedVersion::exactly(StreamVersion{2}), make_events(2));
  ASSERT_TRUE(appended) << appended.error().describe();
  EXPECT_EQ(appended->next_expected_version, StreamVersion{4});
}

TEST_P(EventStoreConformance, AnExactVersionOnAMissingStreamReportsMinusOne) {
  auto conflict = store().append(stream("order-1"), ExpectedVersion::exactly(StreamVersion{0}), make_events(1));
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code(), ErrorCode::wrong_expected_version);
  EXPECT_EQ(conflict.error().actual_version(), StreamVersion::no_stream());
  // exactly(-1) is no_stream().
  EXPECT_TRUE(store().append(stream("order-1"), ExpectedVersion::exactly(StreamVersion::no_stream()), make_events(1)));
}

TEST_P(EventStoreConformance, AnyAppendsWhateverTheState) {
  auto first = store().append(stream("order-1"), ExpectedVersion::any(), make_events(1));
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->next_expected_version, StreamVersion{0});
  auto second = store().append(stream("order-1"), ExpectedVersion::any(), make_events(2));
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_EQ(second->next_expected_version, StreamVersion{2});
}

TEST_P(EventStoreConformance, StreamExistsNeedsAnEvent) {
  auto refused = store().append(stream("order-1"), ExpectedVersion::stream_exists(), make_events(1));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::wrong_expected_version);
  EXPECT_EQ(refused.error().actual_version(), StreamVersion::no_stream());
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::no_stream(), make_events(1)));
  auto appended = store().append(stream("order-1"), ExpectedVersion::stream_exists(), make_events(1));
  ASSERT_TRUE(appended) << appended.error().describe();
  EXPECT_EQ(appended->next_expected_version, StreamVersion{1});
}

TEST_P(EventStoreConformance, AConflictWritesNothing) {
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::no_stream(), make_events(2)));
  ASSERT_FALSE(store().append(stream("order-1"), ExpectedVersion::exactly(StreamVersion{0}), make_events(3)));
  ASSERT_FALSE(store().append(stream("order-2"), ExpectedVersion::stream_exists(), make_events(3)));
  EXPECT_EQ(whole_log().size(), 2u);
  EXPECT_EQ(store().stream_version(stream("order-2")), StreamVersion::no_stream());
}

TEST_P(EventStoreConformance, ExpectedVersionsBelowMinusOneAreInvalid) {
  for (std::int64_t invalid : {-3, -5, -100}) {
    auto refused = store().append(stream("order-1"), ExpectedVersion::exactly(StreamVersion{invalid}), make_events(1));
    ASSERT_FALSE(refused) << invalid;
    EXPECT_EQ(refused.error().code(), ErrorCode::invalid_expected_version);
  }
  EXPECT_FALSE(ExpectedVersion::from_value(-3));
  EXPECT_TRUE(whole_log().empty());
}

// ---------------------------------------------------------------- atomic appends

TEST_P(EventStoreConformance, AnAppendWritesContiguousVersionsInOneTransaction) {
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::no_stream(), make_events(2)));
  std::vector<EventData> batch = make_events(5, "Batch");
  auto appended = store().append(stream("order-1"), ExpectedVersion::exactly(StreamVersion{1}), batch);
  ASSERT_TRUE(appended) << appended.error().describe();
  EXPECT_EQ(appended->next_expected_version, StreamVersion{6});
  auto read = store().read_stream(stream("order-1"), {.from = StreamVersion{2}});
  ASSERT_TRUE(read) << read.error().describe();
  ASSERT_EQ(read->size(), 5u);
  EXPECT_EQ(versions_of(*read), (Versions{2, 3, 4, 5, 6}));
  for (std::size_t i = 0; i < batch.size(); ++i) {
    EXPECT_EQ((*read)[i].id, batch[i].id);
    EXPECT_EQ((*read)[i].type, "Batch");
    EXPECT_EQ((*read)[i].log_position.transaction_id, read->front().log_position.transaction_id);
    EXPECT_EQ((*read)[i].created_at, read->front().created_at);
    if (i > 0) {
      EXPECT_LT((*read)[i - 1].log_position, (*read)[i].log_position);
    }
  }
  EXPECT_EQ(appended->first_position, read->front().log_position.position);
  EXPECT_EQ(appended->last_position, read->back().log_position.position);
}

TEST_P(EventStoreConformance, OneBadEventFailsTheWholeAppend) {
  std::vector<EventData> batch = make_events(3);
  batch[2].data = "{not json";
  auto refused = store().append(stream("order-1"), ExpectedVersion::any(), batch);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::invalid_json);
  EXPECT_TRUE(whole_log().empty());
  EXPECT_EQ(store().stream_version(stream("order-1")), StreamVersion::no_stream());
}

TEST_P(EventStoreConformance, SeparateAppendsAreSeparateTransactions) {
  auto first = store().append(stream("order-1"), ExpectedVersion::any(), make_events(1));
  auto second = store().append(stream("order-2"), ExpectedVersion::any(), make_events(1));
  ASSERT_TRUE(first && second);
  std::vector<RecordedEvent> log = whole_log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_LT(log[0].log_position.transaction_id, log[1].log_position.transaction_id);
  EXPECT_LT(first->last_position, second->first_position);
}

// ---------------------------------------------------------------- idempotency

TEST_P(EventStoreConformance, ARepeatedAppendReturnsTheOriginalResultAndWritesNothing) {
  std::vector<EventData> events = make_events(3);
  events[1].metadata = R"({"correlation": "c-1"})";
  auto original = store().append(stream("order-1"), ExpectedVersion::no_stream(), events);
  ASSERT_TRUE(original) << original.error().describe();
  auto repeated = store().append(stream("order-1"), ExpectedVersion::no_stream(), events);
  ASSERT_TRUE(repeated) << repeated.error().describe();
  EXPECT_EQ(*repeated, *original);
  EXPECT_EQ(whole_log().size(), 3u);

  // Still a repeat after the stream moved on, whatever the expected version.
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::any(), make_events(2)));
  for (ExpectedVersion expected : {ExpectedVersion::no_stream(), ExpectedVersion::exactly(StreamVersion{99}),
                                   ExpectedVersion::stream_exists(), ExpectedVersion::any()}) {
    auto late = store().append(stream("order-1"), expected, events);
    ASSERT_TRUE(late) << late.error().describe();
    EXPECT_EQ(*late, *original);
  }
  EXPECT_EQ(whole_log().size(), 5u);
  EXPECT_EQ(store().stream_version(stream("order-1")), StreamVersion{4});
}

TEST_P(EventStoreConformance, PayloadsCompareAsJsonbInARepeat) {
  EventData event{EventId::generate(), "Placed", R"({"total": 1.50, "customer": "c-7", "lines": [1, 2]})",
                  R"({"trace": "t-1"})"};
  auto original = store().append(stream("order-1"), ExpectedVersion::no_stream(), event);
  ASSERT_TRUE(original) << original.error().describe();
  // Other key order, spacing and number forms, duplicate keys: the same jsonb.
  EventData same{event.id, "Placed", R"({"lines":[1.0,2e0],"customer":"c-7","total":1.5, "total": 15e-1})",
                 R"(  {"trace":"t-1"}  )"};
  auto repeated = store().append(stream("order-1"), ExpectedVersion::no_stream(), same);
  ASSERT_TRUE(repeated) << repeated.error().describe();
  EXPECT_EQ(*repeated, *original);
  EXPECT_EQ(whole_log().size(), 1u);
}

TEST_P(EventStoreConformance, AnIdWithAnotherPayloadIsReused) {
  EventData event{EventId::generate(), "Placed", R"({"amount": 1})", R"({"trace": "t-1"})"};
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::no_stream(), event));
  for (const EventData& changed :
       {EventData{event.id, "Placed", R"({"amount": 2})", event.metadata},
        EventData{event.id, "Other", event.data, event.metadata},
        EventData{event.id, "Placed", event.data, R"({"trace": "t-2"})"}, EventData{event.id, "Placed", event.data, ""},
        EventData{event.id, "Placed", event.data, "null"}}) {
    auto reused = store().append(stream("order-1"), ExpectedVersion::any(), changed);
    ASSERT_FALSE(reused) << changed.type << " " << changed.data << " " << changed.metadata;
    EXPECT_EQ(reused.error().code(), ErrorCode::event_id_reused);
    EXPECT_EQ(reused.error().sqlstate(), "23V02");
    EXPECT_NE(reused.error().message().find(event.id.to_string()), std::string::npos);
  }
  EXPECT_EQ(whole_log().size(), 1u);
}

TEST_P(EventStoreConformance, AnIdFromAnotherStreamIsReused) {
  EventData event = EventData::create("Placed", "{}");
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::no_stream(), event));
  ASSERT_TRUE(store().append(stream("order-2"), ExpectedVersion::no_stream(), make_events(1)));
  for (const char* other : {"order-2", "order-3"}) {
    auto reused = store().append(stream(other), ExpectedVersion::any(), event);
    ASSERT_FALSE(reused) << other;
    EXPECT_EQ(reused.error().code(), ErrorCode::event_id_reused);
  }
  EXPECT_EQ(whole_log().size(), 2u);
}

TEST_P(EventStoreConformance, PartOfAnEarlierAppendWithNewEventsIsReused) {
  std::vector<EventData> events = make_events(3);
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::no_stream(), events));
  for (const std::vector<EventData>& overlapping :
       {std::vector<EventData>{events[2], EventData::create("Happened", "{}")},
        std::vector<EventData>{EventData::create("Happened", "{}"), events[0]},
        std::vector<EventData>{events[0], events[2]},     // not consecutive
        std::vector<EventData>{events[1], events[0]}}) {  // not in order
    auto reused = store().append(stream("order-1"), ExpectedVersion::any(), overlapping);
    ASSERT_FALSE(reused);
    EXPECT_EQ(reused.error().code(), ErrorCode::event_id_reused);
  }
  EXPECT_EQ(whole_log().size(), 3u);
}

TEST_P(EventStoreConformance, StoredEventsRepeatedConsecutivelyAreARepeatWhateverTheirAppends) {
  // The rule is about the events, not the calls that wrote them: every id
  // stored, consecutively, in order, with equal payloads.
  std::vector<EventData> first = make_events(2);
  std::vector<EventData> second = make_events(2);
  auto first_result = store().append(stream("order-1"), ExpectedVersion::no_stream(), first);
  auto second_result = store().append(stream("order-1"), ExpectedVersion::exactly(StreamVersion{1}), second);
  ASSERT_TRUE(first_result && second_result);

  auto spanning =
      store().append(stream("order-1"), ExpectedVersion::any(), std::vector<EventData>{first[1], second[0]});
  ASSERT_TRUE(spanning) << spanning.error().describe();
  EXPECT_EQ(spanning->next_expected_version, StreamVersion{2});
  EXPECT_EQ(spanning->first_position, first_result->last_position);
  EXPECT_EQ(spanning->last_position, second_result->first_position);

  auto prefix = store().append(stream("order-1"), ExpectedVersion::any(), first[0]);
  ASSERT_TRUE(prefix) << prefix.error().describe();
  EXPECT_EQ(prefix->next_expected_version, StreamVersion{0});
  EXPECT_EQ(whole_log().size(), 4u);
}

TEST_P(EventStoreConformance, OneIdTwiceInOneAppendIsADuplicate) {
  EventData event = EventData::create("Placed", "{}");
  auto refused = store().append(
      stream("order-1"), ExpectedVersion::any(),
      std::vector<EventData>{event, EventData::create("Other", "{}"), EventData{event.id, "Other", "{}"}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::duplicate_event_id);
  EXPECT_EQ(refused.error().sqlstate(), "22V07");
  EXPECT_TRUE(whole_log().empty());
}

TEST_P(EventStoreConformance, AReusedIdIsReportedBeforeAWrongExpectedVersion) {
  EventData event = EventData::create("Placed", R"({"n": 1})");
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::no_stream(), event));
  auto reused =
      store().append(stream("order-1"), ExpectedVersion::no_stream(), EventData{event.id, "Placed", R"({"n": 2})"});
  ASSERT_FALSE(reused);
  EXPECT_EQ(reused.error().code(), ErrorCode::event_id_reused);
}

// ---------------------------------------------------------------- reading a stream

TEST_P(EventStoreConformance, PagesForwards) {
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::no_stream(), make_events(10)));
  auto page = [&](ReadStreamOptions options) {
    auto read = store().read_stream(stream("order-1"), options);
    EXPECT_TRUE(read) << read.error().describe();
    return read ? versions_of(*read) : Versions{};
  };
  EXPECT_EQ(page({}), (Versions{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(page({.max_count = 4}), (Versions{0, 1, 2, 3}));
  EXPECT_EQ(page({.from = StreamVersion{4}, .max_count = 4}), (Versions{4, 5, 6, 7}));
  EXPECT_EQ(page({.from = StreamVersion{8}, .max_count = 4}), (Versions{8, 9}));
  EXPECT_EQ(page({.from = StreamVersion{10}, .max_count = 4}), Versions{});
  EXPECT_EQ(page({.from = StreamVersion{1'000}, .max_count = 4}), Versions{});
}

TEST_P(EventStoreConformance, PagesBackwards) {
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::no_stream(), make_events(10)));
  auto page = [&](ReadStreamOptions options) {
    options.direction = ReadDirection::backward;
    auto read = store().read_stream(stream("order-1"), options);
    EXPECT_TRUE(read) << read.error().describe();
    return read ? versions_of(*read) : Versions{};
  };
  EXPECT_EQ(page({.max_count = 4}), (Versions{9, 8, 7, 6}));
  EXPECT_EQ(page({.from = StreamVersion{5}, .max_count = 4}), (Versions{5, 4, 3, 2}));
  EXPECT_EQ(page({.from = StreamVersion{1}, .max_count = 4}), (Versions{1, 0}));
  EXPECT_EQ(page({.from = StreamVersion{0}, .max_count = 4}), (Versions{0}));
  EXPECT_EQ(page({.from = StreamVersion{100}, .max_count = 2}), (Versions{9, 8}));
}

TEST_P(EventStoreConformance, AMissingStreamReadsAsEmpty) {
  auto forward = store().read_stream(stream("order-404"));
  ASSERT_TRUE(forward) << forward.error().describe();
  EXPECT_TRUE(forward->empty());
  auto backward = store().read_stream(stream("order-404"), {.direction = ReadDirection::backward});
  ASSERT_TRUE(backward);
  EXPECT_TRUE(backward->empty());
  EXPECT_EQ(store().stream_version(stream("order-404")), StreamVersion::no_stream());
}

TEST_P(EventStoreConformance, ReadsReturnWhatWasAppended) {
  EventData event{EventId::generate(), "Ünïcödé type ✓", R"({"text": "quotes \" backslash \\ tab \t é €", "n": -0.50})",
                  R"({"trace": "t-1"})"};
  ASSERT_TRUE(store().append(stream("order-é-1"), ExpectedVersion::no_stream(), event));
  auto read = store().read_stream(stream("order-é-1"));
  ASSERT_TRUE(read) << read.error().describe();
  ASSERT_EQ(read->size(), 1u);
  const RecordedEvent& recorded = read->front();
  EXPECT_EQ(recorded.stream, stream("order-é-1"));
  EXPECT_EQ(recorded.version, StreamVersion{0});
  EXPECT_EQ(recorded.id, event.id);
  EXPECT_EQ(recorded.type, event.type);
  EXPECT_EQ(recorded.data, R"({"n": -0.50, "text": "quotes \" backslash \\ tab \t é €"})");
  EXPECT_EQ(recorded.metadata, R"({"trace": "t-1"})");
}

TEST_P(EventStoreConformance, DataComesBackInJsonbForm) {
  std::vector<EventData> events = {
      EventData::create("A", R"({"name":"x",  "by":1})"),
      EventData::create("A", R"(  [1.0, 2e2, 1E-2, -0, {"b": {}, "a": []}]  )"),
      EventData::create("A", R"({"a": 1, "a": 2})"),
      EventData::create("A", R"("just a string")"),
      EventData::create("A", "12345678901234567890123.4500"),
      EventData::create("A", "{}", "null"),
      EventData::create("A", "true", R"({"z": null, "y": [true, false]})"),
      EventData::create("A", R"({"aa": 1, "b": 2, "ab": 3, "a": 4})"),
  };
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::no_stream(), events));
  auto read = store().read_stream(stream("order-1"));
  ASSERT_TRUE(read) << read.error().describe();
  ASSERT_EQ(read->size(), events.size());
  std::vector<std::pair<std::string, std::string>> stored;
  for (const RecordedEvent& event : *read) stored.emplace_back(event.data, event.metadata);
  EXPECT_EQ(stored, (std::vector<std::pair<std::string, std::string>>{
                        {R"({"by": 1, "name": "x"})", ""},
                        {R"([1.0, 200, 0.01, 0, {"a": [], "b": {}}])", ""},
                        {R"({"a": 2})", ""},
                        {R"("just a string")", ""},
                        {"12345678901234567890123.4500", ""},
                        {"{}", "null"},
                        {"true", R"({"y": [true, false], "z": null})"},
                        {R"({"a": 4, "b": 2, "aa": 1, "ab": 3})", ""},  // shorter keys first
                    }));
}

TEST_P(EventStoreConformance, TheLazyRangeReadsEveryPage) {
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::no_stream(), make_events(10)));
  for (std::int32_t page_size : {1, 3, 5, 10, 11}) {
    Versions forward, backward;
    for (auto& event : store().stream(stream("order-1"), {.page_size = page_size})) {
      ASSERT_TRUE(event) << event.error().describe();
      forward.push_back(event->version.value());
    }
    StreamEventRange range =
        store().stream(stream("order-1"), {.page_size = page_size, .direction = ReadDirection::backward});
    for (auto& event : range) {
      ASSERT_TRUE(event) << event.error().describe();
      EXPECT_LE(range.buffered_event_count(), static_cast<std::size_t>(page_size));
      backward.push_back(event->version.value());
    }
    EXPECT_EQ(forward, (Versions{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})) << page_size;
    EXPECT_EQ(backward, (Versions{9, 8, 7, 6, 5, 4, 3, 2, 1, 0})) << page_size;
  }
  Versions from_middle;
  for (auto& event : store().stream(stream("order-1"), {.from = StreamVersion{7}, .page_size = 2}))
    from_middle.push_back(event ? event->version.value() : -100);
  EXPECT_EQ(from_middle, (Versions{7, 8, 9}));
}

TEST_P(EventStoreConformance, TheLazyRangeEndsWithTheErrorOfAFailedPage) {
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::no_stream(), make_events(3)));
  std::vector<Result<RecordedEvent>> elements;
  for (auto& element : store().stream(stream("order-1"), {.page_size = 0})) elements.push_back(std::move(element));
  ASSERT_EQ(elements.size(), 1u);
  ASSERT_FALSE(elements[0]);
  EXPECT_EQ(elements[0].error().code(), ErrorCode::invalid_argument);
  std::size_t elements_of_missing_stream = 0;
  for (auto& element : store().stream(stream("order-404"))) elements_of_missing_stream += element ? 1 : 100;
  EXPECT_EQ(elements_of_missing_stream, 0u);
}

// ---------------------------------------------------------------- the global log

TEST_P(EventStoreConformance, TheLogHoldsEveryEventInAppendOrder) {
  std::vector<EventId> appended;
  for (int round = 0; round < 3; ++round)
    for (const char* name : {"order-1", "customer-7", "order-2"}) {
      std::vector<EventData> events = make_events(1 + round);
      for (const EventData& event : events) appended.push_back(event.id);
      ASSERT_TRUE(store().append(stream(name), ExpectedVersion::any(), events));
    }
  std::vector<RecordedEvent> log = whole_log();
  std::vector<EventId> logged;
  for (const RecordedEvent& event : log) logged.push_back(event.id);
  EXPECT_EQ(logged, appended);
  for (std::size_t i = 1; i < log.size(); ++i) {
    EXPECT_LT(log[i - 1].log_position, log[i].log_position);
    EXPECT_LT(log[i - 1].log_position.position, log[i].log_position.position);
  }
}

TEST_P(EventStoreConformance, ResumingFromACheckpointSeesEveryEventOnce) {
  for (int i = 0; i < 7; ++i)
    ASSERT_TRUE(
        store().append(stream("order-" + std::to_string(i % 3)), ExpectedVersion::any(), make_events(1 + i % 4)));
  std::vector<RecordedEvent> everything = whole_log();
  ASSERT_EQ(everything.size(), 16u);
  for (std::int32_t page_size : {1, 2, 5, 16, 100}) {
    std::vector<RecordedEvent> paged = whole_log(page_size);
    ASSERT_EQ(paged.size(), everything.size()) << page_size;
    for (std::size_t i = 0; i < paged.size(); ++i) EXPECT_EQ(paged[i].id, everything[i].id) << page_size;
  }
  // From the middle, and after the end.
  auto rest = store().read_all(everything[5].log_position, 100);
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->size(), 10u);
  EXPECT_EQ(rest->front().id, everything[6].id);
  auto nothing = store().read_all(everything.back().log_position, 100);
  ASSERT_TRUE(nothing);
  EXPECT_TRUE(nothing->empty());
  // A new event after the checkpoint shows up on the next read.
  ASSERT_TRUE(store().append(stream("order-9"), ExpectedVersion::any(), make_events(1)));
  auto next = store().read_all(everything.back().log_position, 100);
  ASSERT_TRUE(next);
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ(next->front().stream, stream("order-9"));
}

TEST_P(EventStoreConformance, TypeFiltersSelectFromTheLog) {
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::any(),
                             std::vector{EventData::create("Placed", "{}"), EventData::create("Paid", "{}"),
                                         EventData::create("Shipped", "{}")}));
  ASSERT_TRUE(store().append(stream("customer-1"), ExpectedVersion::any(),
                             std::vector{EventData::create("Registered", "{}"), EventData::create("Paid", "{}")}));
  auto types_of = [](const std::vector<RecordedEvent>& events) {
    std::vector<std::string> types;
    for (const RecordedEvent& event : events) types.push_back(event.stream.value() + "/" + event.type);
    return types;
  };
  auto paid = store().read_all(std::nullopt, 100, {"Paid"});
  ASSERT_TRUE(paid) << paid.error().describe();
  EXPECT_EQ(types_of(*paid), (std::vector<std::string>{"order-1/Paid", "customer-1/Paid"}));
  auto two = store().read_all(std::nullopt, 100, {"Shipped", "Registered"});
  ASSERT_TRUE(two);
  EXPECT_EQ(types_of(*two), (std::vector<std::string>{"order-1/Shipped", "customer-1/Registered"}));
  auto first_paid = store().read_all(std::nullopt, 1, {"Paid"});
  ASSERT_TRUE(first_paid);
  ASSERT_EQ(first_paid->size(), 1u);
  auto next_paid = store().read_all(first_paid->front().log_position, 1, {"Paid"});
  ASSERT_TRUE(next_paid);
  EXPECT_EQ(types_of(*next_paid), (std::vector<std::string>{"customer-1/Paid"}));
  auto none = store().read_all(std::nullopt, 100, {"Cancelled"});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(EventStoreConformance, ACategoryIsTheNameBeforeTheFirstDash) {
  ASSERT_TRUE(store().append(stream("order-1"), ExpectedVersion::any(),
                             std::vector{EventData::create("Placed", "{}"), EventData::create("Paid", "{}")}));
  ASSERT_TRUE(store().append(stream("orderx-1"), ExpectedVersion::any(), EventData::create("Placed", "{}")));
  ASSERT_TRUE(store().append(stream("order"), ExpectedVersion::any(), EventData::create("Placed", "{}")));
  ASSERT_TRUE(store().append(stream("customer-1"), ExpectedVersion::any(), EventData::create("Placed", "{}")));
  ASSERT_TRUE(store().append(stream("order-2-b"), ExpectedVersion::any(), EventData::create("Paid", "{}")));
  auto names_of = [](const std::vector<RecordedEvent>& events) {
    std::vector<std::string> names;
    for (const RecordedEvent& event : events) names.push_back(event.stream.value() + "/" + event.type);
    return names;
  };
  auto orders = store().read_category("order", std::nullopt, 100);
  ASSERT_TRUE(orders) << orders.error().describe();
  EXPECT_EQ(names_of(*orders),
            (std::vector<std::string>{"order-1/Placed", "order-1/Paid", "order/Placed", "order-2-b/Paid"}));
  auto paid = store().read_category("order", std::nullopt, 100, {"Paid"});
  ASSERT_TRUE(paid);
  EXPECT_EQ(names_of(*paid), (std::vector<std::string>{"order-1/Paid", "order-2-b/Paid"}));
  std::vector<std::string> one_at_a_time;
  std::optional<LogPosition> checkpoint;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = store().read_category("order", checkpoint, 1);
    ASSERT_TRUE(page);
    if (page->empty()) break;
    checkpoint = page->back().log_position;
    for (const std::string& name : names_of(*page)) one_at_a_time.push_back(name);
  }
  EXPECT_EQ(one_at_a_time, names_of(*orders));
  auto missing = store().read_category("invoice", std::nullopt, 100);
  ASSERT_TRUE(missing);
  EXPECT_TRUE(missing->empty());
}

// ---------------------------------------------------------------- limits

TEST_P(EventStoreConformance, TheEventSizeLimitCountsStoredJsonb) {
  // A JSON string of n bytes is stored in n + 12 bytes; empty metadata in
  // none, "{}" in 8. The limit is 1 MiB (eventstore.max_event_size).
  constexpr std::size_t limit = 1024 * 1024;
  auto string_of = [](std::size_t length) { return "\"" + std::string(length, 'x') + "\""; };
  auto fits =
      store().append(stream("order-1"), ExpectedVersion::any(), EventData::create("Big", string_of(limit - 12)));
  EXPECT_TRUE(fits) << fits.error().describe();
  auto too_large =
      store().append(stream("order-1"), ExpectedVersion::any(), EventData::create("Big", string_of(limit - 11)));
  ASSERT_FALSE(too_large);
  EXPECT_EQ(too_large.error().code(), ErrorCode::event_too_large);
  EXPECT_EQ(too_large.error().sqlstate(), "22V04");
  auto fits_with_metadata =
      store().append(stream("order-1"), ExpectedVersion::any(), EventData::create("Big", string_of(limit - 20), "{}"));
  EXPECT_TRUE(fits_with_metadata) << fits_with_metadata.error().describe();
  auto too_large_with_metadata =
      store().append(stream("order-1"), ExpectedVersion::any(), EventData::create("Big", string_of(limit - 19), "{}"));
  ASSERT_FALSE(too_large_with_metadata);
  EXPECT_EQ(too_large_with_metadata.error().code(), ErrorCode::event_too_large);
  EXPECT_EQ(whole_log().size(), 2u);
}

TEST_P(EventStoreConformance, AnAppendTakesAtMostTenThousandEvents) {
  auto most = store().append(stream("order-1"), ExpectedVersion::no_stream(), make_events(10'000));
  ASSERT_TRUE(most) << most.error().describe();
  EXPECT_EQ(most->next_expected_version, StreamVersion{9'999});
  auto too_many = store().append(stream("order-2"), ExpectedVersion::no_stream(), make_events(10'001));
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code(), ErrorCode::too_many_events);
  EXPECT_EQ(too_many.error().sqlstate(), "22V05");
  EXPECT_EQ(store().stream_version(stream("order-2")), StreamVersion::no_stream());
}

// ---------------------------------------------------------------- bad input

struct BadInput {
  std::string what;
  ErrorCode code;
  // What the server reports, or empty when the client refuses before sending.
  std::string sqlstate;
  std::function<std::optional<Error>(FullEventStore&)> attempt;
};

TEST_P(EventStoreConformance, BadInputGetsItsTypedErrorAndWritesNothing) {
  EventData existing = EventData::create("Created", R"({"amount": 1})");
  ASSERT_TRUE(store().append(stream("bad-existing"), ExpectedVersion::no_stream(), existing));
  StreamName fresh = stream("bad-fresh");
  auto append_one = [fresh](std::string type, std::string data, std::string metadata = {}) {
    return [fresh, type, data, metadata](FullEventStore& store) {
      return error_of(store.append(fresh, ExpectedVersion::any(), EventData::create(type, data, metadata)));
    };
  };
  EventData repeated = EventData::create("Happened", "{}");
  std::vector<EventData> last_one_bad = make_events(3);
  last_one_bad[2].data = "[1, 2";
  std::vector<EventData> bad_data_and_metadata = make_events(2);
  bad_data_and_metadata[0].metadata = "{\"a\": \"\\u0000\"}";
  bad_data_and_metadata[1].data = "{oops}";
  std::vector<EventData> too_many_and_bad_json = make_events(10'001);
  too_many_and_bad_json.back().data = "{oops}";

  const std::vector<BadInput> inputs = {
      {"data malformed", ErrorCode::invalid_json, "22P02", append_one("A", R"({"a": })")},
      {"data truncated", ErrorCode::invalid_json, "22P02", append_one("A", "[1, 2")},
      {"data not JSON", ErrorCode::invalid_json, "22P02", append_one("A", "order placed")},
      {"data empty", ErrorCode::invalid_json, "22P02", append_one("A", "")},
      {"data only spaces", ErrorCode::invalid_json, "22P02", append_one("A", "   ")},
      {"data with a leading zero", ErrorCode::invalid_json, "22P02", append_one("A", "[01]")},
      {"data with a trailing comma", ErrorCode::invalid_json, "22P02", append_one("A", "[1,]")},
      {"data with two values", ErrorCode::invalid_json, "22P02", append_one("A", "{} {}")},
      {"data with a comment", ErrorCode::invalid_json, "22P02", append_one("A", "/* c */ {}")},
      {"data with a byte order mark", ErrorCode::invalid_json, "22P02", append_one("A", "\xEF\xBB\xBF{}")},
      {"data with a raw newline in a string", ErrorCode::invalid_json, "22P02", append_one("A", "\"a\nb\"")},
      {"data with a lone surrogate", ErrorCode::invalid_json, "22P02", append_one("A", R"("\ud800")")},
      {"metadata malformed", ErrorCode::invalid_json, "22P02", append_one("A", "{}", "{trace: 1}")},
      {"metadata only spaces", ErrorCode::invalid_json, "22P02", append_one("A", "{}", " ")},
      {"data with \\u0000", ErrorCode::invalid_json, "22P05", append_one("A", R"({"a": "\u0000"})")},
      {"key with \\u0000", ErrorCode::invalid_json, "22P05", append_one("A", R"({"\u0000": 1})")},
      {"data not UTF-8", ErrorCode::invalid_json, "22021", append_one("A", "{\"a\": \"\xff\"}")},
      {"data with an encoded surrogate", ErrorCode::invalid_json, "22021", append_one("A", "\"\xED\xA0\x80\"")},
      {"data nested too deep", ErrorCode::invalid_json, "54001", append_one("A", std::string(100'000, '['))},
      {"a number beyond numeric", ErrorCode::invalid_json, "22003",
       append_one("A", "0." + std::string(16'384, '0') + "1")},
      {"all data is read before any metadata", ErrorCode::invalid_json, "22P02",
       [fresh, bad_data_and_metadata](FullEventStore& store) {
         return error_of(store.append(fresh, ExpectedVersion::any(), bad_data_and_metadata));
       }},
      {"JSON is checked before the number of events", ErrorCode::invalid_json, "22P02",
       [fresh, too_many_and_bad_json](FullEventStore& store) {
         return error_of(store.append(fresh, ExpectedVersion::any(), too_many_and_bad_json));
       }},
      {"event larger than max_event_size", ErrorCode::event_too_large, "22V04",
       append_one("A", R"({"blob": ")" + std::string(1'100'000, 'x') + R"("})")},
      {"no events", ErrorCode::no_events, "22V06",
       [fresh](FullEventStore& store) {
         return error_of(store.append(fresh, ExpectedVersion::any(), std::span<const EventData>{}));
       }},
      {"no events, even when the stream is not as expected", ErrorCode::no_events, "22V06",
       [fresh](FullEventStore& store) {
         return error_of(store.append(fresh, ExpectedVersion::stream_exists(), std::span<const EventData>{}));
       }},
      {"one id twice in one append", ErrorCode::duplicate_event_id, "22V07",
       [fresh, repeated](FullEventStore& store) {
         return error_of(store.append(fresh, ExpectedVersion::any(),
                                      std::vector<EventData>{repeated, EventData{repeated.id, "Other", "{}"}}));
       }},
      {"id reused with another payload", ErrorCode::event_id_reused, "23V02",
       [this, existing](FullEventStore& store) {
         return error_of(store.append(stream("bad-existing"), ExpectedVersion::any(),
                                      EventData{existing.id, "Created", R"({"amount": 2})"}));
       }},
      {"id reused in another stream", ErrorCode::event_id_reused, "23V02",
       [fresh, existing](FullEventStore& store) {
         return error_of(store.append(fresh, ExpectedVersion::any(), existing));
       }},
      {"last event of three is bad", ErrorCode::invalid_json, "22P02",
       [fresh, last_one_bad](FullEventStore& store) {
         return error_of(store.append(fresh, ExpectedVersion::any(), last_one_bad));
       }},
      {"wrong exact version", ErrorCode::wrong_expected_version, "23V01",
       [this](FullEventStore& store) {
         return error_of(
             store.append(stream("bad-existing"), ExpectedVersion::exactly(StreamVersion{5}), make_events(1)));
       }},
      {"read: max_count 0", ErrorCode::invalid_argument, "22V08",
       [this](FullEventStore& store) { return error_of(store.read_stream(stream("bad-existing"), {.max_count = 0})); }},
      {"read backwards: max_count -1", ErrorCode::invalid_argument, "22V08",
       [this](FullEventStore& store) {
         return error_of(
             store.read_stream(stream("bad-existing"), {.max_count = -1, .direction = ReadDirection::backward}));
       }},
      {"read: negative from", ErrorCode::invalid_argument, "22V08",
       [this](FullEventStore& store) {
         return error_of(store.read_stream(stream("bad-existing"), {.from = StreamVersion{-2}, .max_count = 10}));
       }},
      {"read_all: max_count 0", ErrorCode::invalid_argument, "22V08",
       [](FullEventStore& store) { return error_of(store.read_all(std::nullopt, 0)); }},
      {"read_all: negative max_count", ErrorCode::invalid_argument, "22V08",
       [](FullEventStore& store) { return error_of(store.read_all(std::nullopt, -5)); }},
      {"read_category: with '-'", ErrorCode::invalid_argument, "22V08",
       [](FullEventStore& store) { return error_of(store.read_category("a-b", std::nullopt, 10)); }},
      {"read_category: empty", ErrorCode::invalid_argument, "22V08",
       [](FullEventStore& store) { return error_of(store.read_category("", std::nullopt, 10)); }},
      {"read_category: the category before max_count", ErrorCode::invalid_argument, "22V08",
       [](FullEventStore& store) { return error_of(store.read_category("a-b", std::nullopt, 0)); }},
      // Refused by the client with the server's rules, before a round trip.
      {"event type empty", ErrorCode::invalid_event_type, "", append_one("", "{}")},
      {"event type with a newline", ErrorCode::invalid_event_type, "", append_one("A\nB", "{}")},
      {"event type with DEL", ErrorCode::invalid_event_type, "", append_one("A\x7f", "{}")},
      {"event type 256 bytes", ErrorCode::invalid_event_type, "", append_one(std::string(256, 't'), "{}")},
      {"event type not UTF-8", ErrorCode::invalid_event_type, "", append_one("\xC0\xAF", "{}")},
      {"event type checked before the JSON", ErrorCode::invalid_event_type, "", append_one("", "{oops}")},
      {"expected version exactly(-3)", ErrorCode::invalid_expected_version, "",
       [fresh](FullEventStore& store) {
         return error_of(store.append(fresh, ExpectedVersion::exactly(StreamVersion{-3}), make_events(1)));
       }},
      {"expected version checked before anything else", ErrorCode::invalid_expected_version, "",
       [fresh](FullEventStore& store) {
         return error_of(
             store.append(fresh, ExpectedVersion::exactly(StreamVersion{-3}), std::span<const EventData>{}));
       }},
      {"type filter with a control character", ErrorCode::invalid_event_type, "",
       [](FullEventStore& store) {
         return error_of(store.read_all(std::nullopt, 10, {"Ok", "Bad\x7f"}));
       }},
      {"type filter empty", ErrorCode::invalid_event_type, "",
       [](FullEventStore& store) { return error_of(store.read_category("order", std::nullopt, 10, {""})); }},
      {"category not UTF-8", ErrorCode::invalid_argument, "",
       [](FullEventStore& store) { return error_of(store.read_category("cat\xff", std::nullopt, 10)); }},
      {"category with a control character", ErrorCode::invalid_argument, "",
       [](FullEventStore& store) { return error_of(store.read_category("cat\n", std::nullopt, 10)); }},
  };
  ASSERT_GE(inputs.size(), 40u);
  const std::size_t events_before = whole_log().size();
  for (const BadInput& input : inputs) {
    SCOPED_TRACE(input.what);
    std::optional<Error> error = input.attempt(store());
    ASSERT_TRUE(error.has_value()) << "accepted";
    EXPECT_EQ(error->code(), input.code) << error->describe();
    EXPECT_EQ(error->sqlstate(), input.sqlstate) << error->describe();
    EXPECT_FALSE(error->message().empty());
    EXPECT_FALSE(error->retryable());
  }
  EXPECT_EQ(whole_log().size(), events_before);
  EXPECT_EQ(store().stream_version(fresh), StreamVersion::no_stream());
  EXPECT_EQ(store().stream_version(stream("bad-existing")), StreamVersion{0});
}

}  // namespace
}  // namespace eventstore::conformance
