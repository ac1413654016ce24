// The store module: value types (names, versions, positions, events), errors
// as values, and the store's interfaces (EventStore, SnapshotStore,
// StreamAdministration) that the PostgreSQL client and the test kit implement.
#pragma once

#include "eventstore/store/append_result.hpp"
#include "eventstore/store/clock.hpp"
#include "eventstore/store/consumer_group.hpp"
#include "eventstore/store/deadline.hpp"
#include "eventstore/store/error.hpp"
#include "eventstore/store/event_data.hpp"
#include "eventstore/store/event_id.hpp"
#include "eventstore/store/event_store.hpp"
#include "eventstore/store/expected_version.hpp"
#include "eventstore/store/global_position.hpp"
#include "eventstore/store/loaded_stream.hpp"
#include "eventstore/store/log_position.hpp"
#include "eventstore/store/read_direction.hpp"
#include "eventstore/store/read_stream_options.hpp"
#include "eventstore/store/recorded_event.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/snapshot_store.hpp"
#include "eventstore/store/stream_event_range.hpp"
#include "eventstore/store/stream_lifecycle.hpp"
#include "eventstore/store/stream_name.hpp"
#include "eventstore/store/stream_version.hpp"
#include "eventstore/store/time_range.hpp"
