// The pg_eventstore client library: include this one header.
#pragma once

#include "eventstore/append_result.hpp"
#include "eventstore/client.hpp"
#include "eventstore/error.hpp"
#include "eventstore/event_data.hpp"
#include "eventstore/event_id.hpp"
#include "eventstore/event_store.hpp"
#include "eventstore/expected_version.hpp"
#include "eventstore/global_position.hpp"
#include "eventstore/log_position.hpp"
#include "eventstore/read_direction.hpp"
#include "eventstore/read_stream_options.hpp"
#include "eventstore/recorded_event.hpp"
#include "eventstore/result.hpp"
#include "eventstore/stream_event_range.hpp"
#include "eventstore/stream_name.hpp"
#include "eventstore/stream_version.hpp"
