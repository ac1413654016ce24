// The query side of CQRS (eventstore::queries): the query bus, answers with
// the position of the read model they reflect (ETag, Cache-Control), and its
// middleware: metrics, tracing, caching in a TieredCache, and the
// invalidation of cached answers by a subscription. See docs/queries.md.
#pragma once

#include "eventstore/queries/middleware/caching_middleware.hpp"
#include "eventstore/queries/middleware/query_metrics_middleware.hpp"
#include "eventstore/queries/middleware/query_tracing_middleware.hpp"
#include "eventstore/queries/query_answer.hpp"
#include "eventstore/queries/query_bus.hpp"
#include "eventstore/queries/query_cache_invalidator.hpp"
#include "eventstore/queries/query_error.hpp"
#include "eventstore/queries/query_metrics.hpp"
#include "eventstore/queries/query_middleware.hpp"
#include "eventstore/queries/query_options.hpp"
#include "eventstore/queries/query_outcome.hpp"
