// Decoding rows of eventstore.recorded_event (binary format) into
// RecordedEvents, appended to a vector the caller reuses page after page.
#pragma once

#include <string_view>
#include <vector>

#include "eventstore/store/recorded_event.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/stream_name.hpp"
#include "pq/rows.hpp"

namespace eventstore::detail {

// Values the server sends back were checked when they were written.
struct ServerValues {
  [[nodiscard]] static StreamName stream_name(std::string_view name) { return StreamName{std::string{name}}; }
};

// The columns in the order the read statements select them (statements.hpp).
enum RecordedEventColumn {
  column_stream_name,
  column_version,
  column_position,
  column_transaction_id,
  column_event_id,
  column_event_type,
  column_data,
  column_metadata,
  column_created_at,
  recorded_event_column_count
};

[[nodiscard]] Result<void> decode_recorded_events(pq::Rows rows, std::vector<RecordedEvent>& events);

}  // namespace eventstore::detail
