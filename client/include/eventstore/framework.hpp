// The command side of an event-sourced application: aggregates and decisions,
// the event type registry with upcasters, the repository with snapshots and
// conflict retries, and the command bus with its middleware.
#pragma once

#include "eventstore/framework/aggregate.hpp"
#include "eventstore/framework/command_bus.hpp"
#include "eventstore/framework/command_context.hpp"
#include "eventstore/framework/command_error.hpp"
#include "eventstore/framework/command_metrics.hpp"
#include "eventstore/framework/command_middleware.hpp"
#include "eventstore/framework/command_outcome.hpp"
#include "eventstore/framework/decision.hpp"
#include "eventstore/framework/event_metadata.hpp"
#include "eventstore/framework/event_type_registry.hpp"
#include "eventstore/framework/idempotency_store.hpp"
#include "eventstore/framework/latency_histogram.hpp"
#include "eventstore/framework/middleware/deadline_middleware.hpp"
#include "eventstore/framework/middleware/idempotency_middleware.hpp"
#include "eventstore/framework/middleware/logging_middleware.hpp"
#include "eventstore/framework/middleware/metrics_middleware.hpp"
#include "eventstore/framework/middleware/retry_middleware.hpp"
#include "eventstore/framework/middleware/tracing_middleware.hpp"
#include "eventstore/framework/repository.hpp"
#include "eventstore/framework/repository_options.hpp"
#include "eventstore/framework/snapshot_policy.hpp"
#include "eventstore/framework/trace_context.hpp"
#include "eventstore/framework/type_name.hpp"
#include "eventstore/framework/validation.hpp"
