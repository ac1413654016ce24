// The first steps with pg_eventstore, run by `make demo`: append to a few
// streams with expected versions, see a conflict and an idempotent retry,
// read the streams back lazily, and follow the global log from a checkpoint.
//
//   EVENTSTORE_DSN="host=... dbname=..." eventstore_quickstart
#include <eventstore/eventstore.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

using eventstore::EventData;
using eventstore::ExpectedVersion;
using eventstore::StreamName;

template <typename T>
T or_exit(eventstore::Result<T> result, const char* what) {
  if (!result) {
    std::cerr << what << ": " << result.error().describe() << '\n';
    std::exit(1);
  }
  return std::move(*result);
}

void print_stream(eventstore::Client& store, const StreamName& stream) {
  std::cout << "  " << stream.value() << ":\n";
  for (auto& event : store.stream(stream, {.page_size = 2})) {  // two events per round trip
    if (!event) {
      std::cerr << "reading " << stream.value() << ": " << event.error().describe() << '\n';
      std::exit(1);
    }
    std::cout << "    v" << event->version.value() << "  " << event->type << "  " << event->data << '\n';
  }
}

}  // namespace

int main() {
  const char* dsn = std::getenv("EVENTSTORE_DSN");
  if (dsn == nullptr) {
    std::cerr << "set EVENTSTORE_DSN to a libpq connection string\n";
    return 2;
  }
  auto store = or_exit(eventstore::Client::connect(dsn), "connect");

  std::cout << "1. Appending three orders\n";
  std::vector<StreamName> orders;
  for (const char* name : {"order-1001", "order-1002", "order-1003"}) {
    orders.push_back(or_exit(StreamName::from(name), "stream name"));
    std::vector<EventData> events{
        EventData::create("OrderPlaced", R"({"customer": "c-7", "currency": "EUR"})", R"({"correlation_id": "demo"})"),
        EventData::create("LineAdded", R"({"sku": "A-100", "quantity": 2, "price": 12.5})")};
    auto appended = or_exit(store.append(orders.back(), ExpectedVersion::no_stream(), events), "append");
    std::cout << "  " << name << ": next expected version " << appended.next_expected_version.value() << ", positions "
              << appended.first_position.value() << ".." << appended.last_position.value() << '\n';
  }

  std::cout << "2. A stale expected version is refused, with the actual version\n";
  auto paid = EventData::create("PaymentConfirmed", R"({"amount": 25.0})");
  or_exit(store.append(orders[0], ExpectedVersion::exactly(eventstore::StreamVersion{1}), paid), "append");
  auto stale = store.append(orders[0], ExpectedVersion::exactly(eventstore::StreamVersion{1}),
                            EventData::create("OrderShipped", R"({"carrier": "DHL"})"));
  if (stale) return 1;
  std::cout << "  " << eventstore::to_string(stale.error().code()) << " (SQLSTATE " << stale.error().sqlstate()
            << "), actual version " << stale.error().actual_version()->value() << ", retryable "
            << (stale.error().retryable() ? "yes" : "no") << '\n';

  std::cout << "3. Retrying an append with the same event ids writes nothing twice\n";
  auto shipped = EventData::create("OrderShipped", R"({"carrier": "DHL"})");
  auto first =
      or_exit(store.append(orders[0], ExpectedVersion::exactly(eventstore::StreamVersion{2}), shipped), "append");
  auto retry =
      or_exit(store.append(orders[0], ExpectedVersion::exactly(eventstore::StreamVersion{2}), shipped), "retry");
  std::cout << "  first: version " << first.next_expected_version.value() << " at position "
            << first.last_position.value() << "; retry: version " << retry.next_expected_version.value()
            << " at position " << retry.last_position.value() << '\n';

  std::cout << "4. The streams, read lazily\n";
  for (const auto& order : orders) print_stream(store, order);

  std::cout << "5. The global log from the start, three events per page, resuming from each checkpoint\n";
  std::optional<eventstore::LogPosition> checkpoint;
  for (int page_number = 1;; ++page_number) {
    auto page = or_exit(store.read_all(checkpoint, 3), "read_all");
    if (page.empty()) break;
    std::cout << "  page " << page_number << ":";
    for (const auto& event : page) std::cout << "  " << event.stream.value() << "@v" << event.version.value();
    std::cout << '\n';
    checkpoint = page.back().log_position;
  }
  std::cout << "  caught up at checkpoint (transaction " << checkpoint->transaction_id << ", position "
            << checkpoint->position.value() << ")\n";

  std::cout << "6. The 'order' category, payments only\n";
  auto payments = or_exit(store.read_category("order", std::nullopt, 100, {"PaymentConfirmed"}), "read_category");
  for (const auto& event : payments) std::cout << "  " << event.stream.value() << " " << event.data << '\n';
  return 0;
}
