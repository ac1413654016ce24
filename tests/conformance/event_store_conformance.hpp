// The behaviour every FullEventStore shares, written once and run against each:
// the in-memory store of the test kit (unit tests) and the real server
// through eventstore::Client (client tests). Where the two differ, one of
// them is wrong.
//
// To run the suite against a store, give it a factory that makes a fresh,
// empty store for each test:
//
//   INSTANTIATE_TEST_SUITE_P(MyStore, EventStoreConformance,
//                            ::testing::Values(StoreUnderTest{"my_store", make_my_store}), store_name);
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "../client/printers.hpp"
#include "eventstore/eventstore.hpp"

namespace eventstore::conformance {

// A fresh, empty store for one test, or why there is none.
using EventStoreFactory = std::function<Result<std::unique_ptr<FullEventStore>>()>;

struct StoreUnderTest {
  // Part of the test names: letters, digits and '_' only.
  std::string name;
  EventStoreFactory make;
};

inline void PrintTo(const StoreUnderTest& store, std::ostream* out) { *out << store.name; }

// The test names' suffix for INSTANTIATE_TEST_SUITE_P.
[[nodiscard]] inline std::string store_name(const ::testing::TestParamInfo<StoreUnderTest>& info) {
  return info.param.name;
}

class EventStoreConformance : public ::testing::TestWithParam<StoreUnderTest> {
 protected:
  void SetUp() override;

  [[nodiscard]] FullEventStore& store() { return *store_; }

  // A name known to be valid (fails the test otherwise).
  [[nodiscard]] static StreamName stream(const std::string& name);
  // `count` events of `type` with fresh ids and data {"index": i}.
  [[nodiscard]] static std::vector<EventData> make_events(int count, const std::string& type = "Happened");
  // The whole global log, read a page at a time from the start.
  [[nodiscard]] std::vector<RecordedEvent> whole_log(std::int32_t page_size = 1000);
  // The versions of the events, in order.
  [[nodiscard]] static std::vector<std::int64_t> versions_of(const std::vector<RecordedEvent>& events);

 private:
  std::unique_ptr<FullEventStore> store_;
};

}  // namespace eventstore::conformance
