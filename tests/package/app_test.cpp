// An application's test against the installed test kit: appends and reads
// with the in-memory store, and its expected-version check.
#include <cstdio>
#include <cstdlib>

#include <eventstore/testing/in_memory_event_store.hpp>

#define CHECK(condition)                                                          \
  do {                                                                            \
    if (!(condition)) {                                                           \
      std::fprintf(stderr, "%s:%d: %s failed\n", __FILE__, __LINE__, #condition); \
      return EXIT_FAILURE;                                                        \
    }                                                                             \
  } while (false)

int main() {
  eventstore::testing::InMemoryEventStore store;
  auto stream = eventstore::StreamName::from("order-42");
  CHECK(stream.has_value());

  auto appended = store.append(*stream, eventstore::ExpectedVersion::no_stream(),
                               eventstore::EventData::create("OrderPlaced", R"({"total":12})"));
  CHECK(appended.has_value());
  CHECK(appended->next_expected_version.value() == 0);

  auto again = store.append(*stream, eventstore::ExpectedVersion::no_stream(),
                            eventstore::EventData::create("OrderPlaced", "{}"));
  CHECK(!again && again.error().code() == eventstore::ErrorCode::wrong_expected_version);

  auto events = store.read_stream(*stream);
  CHECK(events.has_value() && events->size() == 1);
  CHECK((*events)[0].type == "OrderPlaced");
  CHECK((*events)[0].data == R"({"total": 12})");
  std::printf("package test: %zu event read back\n", events->size());
  return EXIT_SUCCESS;
}
