// eventstore::projections: read models in the store's database, fed exactly
// once by subscriptions, rebuilt blue/green.
#pragma once

#include "eventstore/projections/projection.hpp"
#include "eventstore/projections/projection_runner.hpp"
#include "eventstore/projections/projection_status.hpp"
