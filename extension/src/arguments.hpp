// Checks of SQL function arguments shared by the entry points; each raises the
// documented SQLSTATE (docs/sql-api.md).
#pragma once

#include "postgres.hpp"

namespace eventstore::pg {

void require_argument(FunctionCallInfo fcinfo, int argument, const char* name);
text* checked_stream_name(Datum value);
int64 checked_expected_version(Datum value);
// max_count of a read: at least 1.
int32 checked_max_count(FunctionCallInfo fcinfo, int argument);
[[noreturn]] void raise_invalid_read_argument(const char* message);

}  // namespace eventstore::pg
