// Checks of SQL function arguments shared by the entry points; each raises the
// documented SQLSTATE (docs/sql-api.md).
#pragma once

#include "postgres.hpp"

namespace eventstore::pg {

// A function that writes refuses (25006, naming it) in a read-only
// transaction and on a hot standby: it writes the tables directly, below the
// executor that would otherwise refuse.
void require_writable(const char* function);
void require_argument(FunctionCallInfo fcinfo, int argument, const char* name);
text* checked_stream_name(Datum value);
int64 checked_expected_version(Datum value);
// max_count of a read: at least 1.
int32 checked_max_count(FunctionCallInfo fcinfo, int argument);
[[noreturn]] void raise_invalid_read_argument(const char* message);
// 23V01, with the actual version in the message and the detail line "actual version: N".
void raise_wrong_expected_version(const char* stream_name, int64 expected, int64 actual);

}  // namespace eventstore::pg
