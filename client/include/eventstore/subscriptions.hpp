// eventstore::subscriptions: members of subscriptions that catch up and
// follow the log live, with checkpoints, leases, backpressure and parking.
#pragma once

#include "eventstore/subscriptions/event_handler.hpp"
#include "eventstore/subscriptions/subscription.hpp"
#include "eventstore/subscriptions/subscription_options.hpp"
#include "eventstore/subscriptions/subscription_statistics.hpp"
