// A broken EventStore for the negative control of the model test: it
// silently drops every nth event handed to append (counting across calls)
// and otherwise passes everything through. A model test that cannot catch it
// proves nothing.
#pragma once

#include <cstddef>
#include <vector>

#include "eventstore/eventstore.hpp"

namespace eventstore::conformance {

class DroppingEventStore final : public ForwardingEventStore {
 public:
  DroppingEventStore(FullEventStore& store, std::size_t every) : ForwardingEventStore(store), every_(every) {}

 protected:
  Result<AppendResult> do_append(const StreamName& stream, ExpectedVersion expected,
                                 std::span<const EventData> events) override {
    std::vector<EventData> kept;
    for (const EventData& event : events)
      if (++handed_ % every_ != 0) kept.push_back(event);
    return ForwardingEventStore::do_append(stream, expected, kept);
  }

 private:
  std::size_t every_;
  std::size_t handed_ = 0;
};

}  // namespace eventstore::conformance
