// The SQLSTATEs pg_eventstore raises besides PostgreSQL's own, as errcode()
// takes them. The codes themselves are core::sqlstate, shared with the client;
// the table of when each is raised is docs/sql-api.md.
#pragma once

#include "postgres.hpp"

#include <string_view>

#include "eventstore/core/input_check.hpp"
#include "eventstore/core/sqlstate.hpp"

namespace eventstore::pg {

// PostgreSQL's packed form of a five-character SQLSTATE, as MAKE_SQLSTATE builds it.
constexpr int packed_sqlstate(std::string_view code) {
  return MAKE_SQLSTATE(code[0], code[1], code[2], code[3], code[4]);
}
static_assert(packed_sqlstate("22V01") == MAKE_SQLSTATE('2', '2', 'V', '0', '1'));
// PostgreSQL's own codes that the in-memory store reproduces.
static_assert(packed_sqlstate(core::sqlstate::invalid_parameter_value) == ERRCODE_INVALID_PARAMETER_VALUE);
static_assert(packed_sqlstate(core::sqlstate::undefined_object) == ERRCODE_UNDEFINED_OBJECT);

}  // namespace eventstore::pg

#define EVENTSTORE_SQLSTATE(name) ::eventstore::pg::packed_sqlstate(::eventstore::core::sqlstate::name)
#define ERRCODE_ES_INVALID_STREAM_NAME EVENTSTORE_SQLSTATE(invalid_stream_name)
#define ERRCODE_ES_INVALID_EVENT_TYPE EVENTSTORE_SQLSTATE(invalid_event_type)
#define ERRCODE_ES_INVALID_EXPECTED_VERSION EVENTSTORE_SQLSTATE(invalid_expected_version)
#define ERRCODE_ES_EVENT_TOO_LARGE EVENTSTORE_SQLSTATE(event_too_large)
#define ERRCODE_ES_TOO_MANY_EVENTS EVENTSTORE_SQLSTATE(too_many_events)
#define ERRCODE_ES_NO_EVENTS EVENTSTORE_SQLSTATE(no_events)
#define ERRCODE_ES_DUPLICATE_EVENT_ID EVENTSTORE_SQLSTATE(duplicate_event_id)
#define ERRCODE_ES_INVALID_READ_ARGUMENT EVENTSTORE_SQLSTATE(invalid_read_argument)
#define ERRCODE_ES_DUPLICATE_STREAM EVENTSTORE_SQLSTATE(duplicate_stream)
#define ERRCODE_ES_INVALID_SNAPSHOT EVENTSTORE_SQLSTATE(invalid_snapshot)
#define ERRCODE_ES_INVALID_CHECKPOINT EVENTSTORE_SQLSTATE(invalid_checkpoint)
#define ERRCODE_ES_WRONG_EXPECTED_VERSION EVENTSTORE_SQLSTATE(wrong_expected_version)
#define ERRCODE_ES_EVENT_ID_REUSED EVENTSTORE_SQLSTATE(event_id_reused)
#define ERRCODE_ES_STREAM_DELETED EVENTSTORE_SQLSTATE(stream_deleted)
#define ERRCODE_ES_STORE_NOT_USABLE EVENTSTORE_SQLSTATE(store_not_usable)
#define ERRCODE_ES_NO_PARTITION EVENTSTORE_SQLSTATE(no_partition_for_time)

namespace eventstore::pg {

inline int sqlstate_of(core::InputProblem problem) {
  switch (problem) {
    case core::InputProblem::stream_name_empty:
    case core::InputProblem::stream_name_too_long:
    case core::InputProblem::stream_name_control_character:
    case core::InputProblem::stream_name_invalid_utf8:
    case core::InputProblem::stream_name_invisible_character:
    case core::InputProblem::stream_name_empty_category: return ERRCODE_ES_INVALID_STREAM_NAME;
    case core::InputProblem::event_type_empty:
    case core::InputProblem::event_type_too_long:
    case core::InputProblem::event_type_control_character:
    case core::InputProblem::event_type_invalid_utf8:
    case core::InputProblem::event_type_invisible_character: return ERRCODE_ES_INVALID_EVENT_TYPE;
    case core::InputProblem::expected_version_invalid: return ERRCODE_ES_INVALID_EXPECTED_VERSION;
  }
  return ERRCODE_INVALID_PARAMETER_VALUE;
}

}  // namespace eventstore::pg
