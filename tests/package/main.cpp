// Uses the installed client without a server: the value types check their
// input, and connecting to a port nobody listens on is a typed error.
#include <cstdio>
#include <cstdlib>

#include <eventstore/postgres.hpp>
#include <eventstore/store.hpp>

int main() {
  auto stream = eventstore::StreamName::from("order-42");
  if (!stream) {
    std::fprintf(stderr, "StreamName::from: %s\n", stream.error().describe().c_str());
    return EXIT_FAILURE;
  }
  if (auto bad = eventstore::StreamName::from("");
      bad || bad.error().code() != eventstore::ErrorCode::invalid_stream_name) {
    std::fprintf(stderr, "an empty stream name was not invalid_stream_name\n");
    return EXIT_FAILURE;
  }
  const auto event = eventstore::EventData::create("OrderPlaced", R"({"total": 12})");
  if (event.type != "OrderPlaced") return EXIT_FAILURE;

  auto client = eventstore::Client::connect("host=127.0.0.1 port=1 dbname=none connect_timeout=2",
                                            {.pool = {.min_size = 1, .max_size = 1}});
  if (client) {
    std::fprintf(stderr, "connected to 127.0.0.1:1\n");
    return EXIT_FAILURE;
  }
  if (client.error().code() != eventstore::ErrorCode::connection_lost) {
    std::fprintf(stderr, "expected connection_lost, got %s\n", client.error().describe().c_str());
    return EXIT_FAILURE;
  }
  std::printf("package app: %s, %s; connect: %s\n", stream->value().c_str(), event.type.c_str(),
              std::string(eventstore::to_string(client.error().code())).c_str());
  return EXIT_SUCCESS;
}
