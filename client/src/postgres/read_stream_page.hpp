// eventstore.read_stream: one page of a stream, decoded into a vector the
// caller owns (the lazy range reuses one vector for every page).
#pragma once

#include <vector>

#include "eventstore/store/read_stream_options.hpp"
#include "eventstore/store/recorded_event.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/stream_name.hpp"
#include "pq/connection.hpp"

namespace eventstore::detail {

// Appends the page's events to `page`.
[[nodiscard]] Result<void> read_stream_page(pq::Connection& connection, const StreamName& stream,
                                            const ReadStreamOptions& options, std::vector<RecordedEvent>& page);

}  // namespace eventstore::detail
