// The orders sample domain: events, commands, the Order aggregate (and its
// shipping rules in the decider style), its event types and its command
// handlers.
#pragma once

#include "order.hpp"
#include "order_commands.hpp"
#include "order_decider.hpp"
#include "order_event_types.hpp"
#include "order_events.hpp"
#include "order_handlers.hpp"
