// The test kit (target eventstore::testing, never part of eventstore::client):
// in-memory stores with the server's semantics, given/when/then, a manual clock.
#pragma once

#include "eventstore/testing/given_when_then.hpp"
#include "eventstore/testing/in_memory_event_store.hpp"
#include "eventstore/testing/in_memory_snapshot_store.hpp"
#include "eventstore/testing/in_memory_subscription_store.hpp"
#include "eventstore/testing/manual_clock.hpp"
