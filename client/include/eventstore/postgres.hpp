// The PostgreSQL client (target eventstore::client): Client::connect(dsn), its
// pool, pipelined appends, the server's statistics and snapshots.
#pragma once

#include "eventstore/postgres/client.hpp"
#include "eventstore/postgres/client_options.hpp"
#include "eventstore/postgres/connection_statistics.hpp"
#include "eventstore/postgres/store_statistics.hpp"
