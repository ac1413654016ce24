#include "arguments.hpp"

#include <string_view>

#include "counters.hpp"
#include "error_codes.hpp"
#include "eventstore/core/error_texts.hpp"
#include "eventstore/core/input_check.hpp"

namespace eventstore::pg {

void require_writable(const char* function) {
  PreventCommandIfReadOnly(function);
  PreventCommandDuringRecovery(function);
}

void require_argument(FunctionCallInfo fcinfo, int argument, const char* name) {
  if (PG_ARGISNULL(argument))
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("%s must not be NULL", name)));
}

text* checked_stream_name(Datum value) {
  text* name = DatumGetTextPP(value);
  std::string_view view(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
  if (auto problem = core::check_stream_name(view))
    ereport(ERROR, (errcode(sqlstate_of(*problem)), errmsg("%s", core::describe(*problem))));
  return name;
}

int64 checked_expected_version(Datum value) {
  int64 expected = DatumGetInt64(value);
  if (auto problem = core::check_expected_version(expected))
    ereport(ERROR, (errcode(sqlstate_of(*problem)),
                    errmsg("%s, got %lld", core::describe(*problem), static_cast<long long>(expected))));
  return expected;
}

int32 checked_max_count(FunctionCallInfo fcinfo, int argument) {
  require_argument(fcinfo, argument, "max_count");
  int32 max_count = PG_GETARG_INT32(argument);
  if (max_count < 1) raise_invalid_read_argument(core::below_minimum_message("max_count", 1, max_count).c_str());
  return max_count;
}

void raise_invalid_read_argument(const char* message) {
  ereport(ERROR, (errcode(ERRCODE_ES_INVALID_READ_ARGUMENT), errmsg("%s", message)));
  pg_unreachable();
}

void raise_wrong_expected_version(const char* stream_name, int64 expected, int64 actual) {
  count_conflict();
  core::ErrorText message = core::wrong_expected_version_message(stream_name, expected, actual);
  core::ErrorText detail = core::actual_version_detail(actual);
  ereport(ERROR,
          (errcode(ERRCODE_ES_WRONG_EXPECTED_VERSION), errmsg("%s", message.c_str()), errdetail("%s", detail.c_str())));
}

}  // namespace eventstore::pg
