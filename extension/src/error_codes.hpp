// The SQLSTATEs pg_eventstore raises besides PostgreSQL's own. Each is a
// subclass of a standard class, so tools that only know the class still act
// right (22 = bad data, 23 = integrity, 55 = wrong state). The table with
// every code and when it is raised is docs/sql-api.md.
#pragma once

#include "postgres.hpp"

#include "eventstore/core/input_check.hpp"

#define ERRCODE_ES_INVALID_STREAM_NAME MAKE_SQLSTATE('2', '2', 'V', '0', '1')
#define ERRCODE_ES_INVALID_EVENT_TYPE MAKE_SQLSTATE('2', '2', 'V', '0', '2')
#define ERRCODE_ES_INVALID_EXPECTED_VERSION MAKE_SQLSTATE('2', '2', 'V', '0', '3')
#define ERRCODE_ES_EVENT_TOO_LARGE MAKE_SQLSTATE('2', '2', 'V', '0', '4')
#define ERRCODE_ES_TOO_MANY_EVENTS MAKE_SQLSTATE('2', '2', 'V', '0', '5')
#define ERRCODE_ES_NO_EVENTS MAKE_SQLSTATE('2', '2', 'V', '0', '6')
#define ERRCODE_ES_DUPLICATE_EVENT_ID MAKE_SQLSTATE('2', '2', 'V', '0', '7')
#define ERRCODE_ES_INVALID_READ_ARGUMENT MAKE_SQLSTATE('2', '2', 'V', '0', '8')
#define ERRCODE_ES_DUPLICATE_STREAM MAKE_SQLSTATE('2', '2', 'V', '0', '9')
#define ERRCODE_ES_INVALID_SNAPSHOT MAKE_SQLSTATE('2', '2', 'V', '1', '0')
#define ERRCODE_ES_WRONG_EXPECTED_VERSION MAKE_SQLSTATE('2', '3', 'V', '0', '1')
#define ERRCODE_ES_EVENT_ID_REUSED MAKE_SQLSTATE('2', '3', 'V', '0', '2')
#define ERRCODE_ES_STREAM_DELETED MAKE_SQLSTATE('2', '3', 'V', '0', '3')
#define ERRCODE_ES_STORE_NOT_USABLE MAKE_SQLSTATE('5', '5', 'V', '0', '1')
#define ERRCODE_ES_NO_PARTITION MAKE_SQLSTATE('5', '5', 'V', '0', '3')

namespace eventstore::pg {

inline int sqlstate_of(core::InputProblem problem) {
  switch (problem) {
    case core::InputProblem::stream_name_empty:
    case core::InputProblem::stream_name_too_long:
    case core::InputProblem::stream_name_control_character:
    case core::InputProblem::stream_name_invalid_utf8: return ERRCODE_ES_INVALID_STREAM_NAME;
    case core::InputProblem::event_type_empty:
    case core::InputProblem::event_type_too_long:
    case core::InputProblem::event_type_control_character:
    case core::InputProblem::event_type_invalid_utf8: return ERRCODE_ES_INVALID_EVENT_TYPE;
    case core::InputProblem::expected_version_invalid: return ERRCODE_ES_INVALID_EXPECTED_VERSION;
  }
  return ERRCODE_INVALID_PARAMETER_VALUE;
}

}  // namespace eventstore::pg
