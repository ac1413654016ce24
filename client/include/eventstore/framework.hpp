// The command side of an event-sourced application on pg_eventstore, in one
// header: aggregates and decisions, the event type registry with upcasters,
// the repository with snapshots and conflict retries, and the command bus
// with its middleware. The test kit's headers are under eventstore/testing/.
#pragma once

#include "eventstore/aggregate.hpp"
#include "eventstore/command_bus.hpp"
#include "eventstore/command_context.hpp"
#include "eventstore/command_error.hpp"
#include "eventstore/command_metrics.hpp"
#include "eventstore/command_middleware.hpp"
#include "eventstore/command_outcome.hpp"
#include "eventstore/deadline_middleware.hpp"
#include "eventstore/decision.hpp"
#include "eventstore/event_metadata.hpp"
#include "eventstore/event_type_registry.hpp"
#include "eventstore/eventstore.hpp"
#include "eventstore/idempotency_middleware.hpp"
#include "eventstore/idempotency_store.hpp"
#include "eventstore/latency_histogram.hpp"
#include "eventstore/logging_middleware.hpp"
#include "eventstore/metrics_middleware.hpp"
#include "eventstore/repository.hpp"
#include "eventstore/repository_options.hpp"
#include "eventstore/retry_middleware.hpp"
#include "eventstore/server_snapshot_store.hpp"
#include "eventstore/snapshot_policy.hpp"
#include "eventstore/snapshot_store.hpp"
#include "eventstore/trace_context.hpp"
#include "eventstore/tracing_middleware.hpp"
#include "eventstore/validation.hpp"
