// Decoding the rows of eventstore.load (binary format) into a LoadedStream:
// the snapshot row first when there is one, then the events.
#pragma once

#include "eventstore/store/result.hpp"
#include "eventstore/store/snapshot_store.hpp"
#include "eventstore/store/stream_name.hpp"
#include "pq/rows.hpp"

namespace eventstore::detail {

// The columns in the order statement(StatementId::load) selects them.
enum LoadedRowColumn {
  loaded_column_is_snapshot,
  loaded_column_version,
  loaded_column_position,
  loaded_column_transaction_id,
  loaded_column_event_id,
  loaded_column_event_type,
  loaded_column_data,
  loaded_column_metadata,
  loaded_column_created_at,
  loaded_row_column_count
};

[[nodiscard]] Result<LoadedStream> decode_loaded_stream(pq::Rows rows, const StreamName& stream);

}  // namespace eventstore::detail
