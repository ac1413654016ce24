// The pg_eventstore client library, every production module in one header:
// the store's types and interfaces, the PostgreSQL client, resilience, the
// framework and subscriptions. The test kit is <eventstore/testing.hpp>; the
// cache (it needs hiredis) is <eventstore/cache.hpp>.
#pragma once

#include "eventstore/framework.hpp"
#include "eventstore/postgres.hpp"
#include "eventstore/resilience.hpp"
#include "eventstore/store.hpp"
#include "eventstore/subscriptions.hpp"
