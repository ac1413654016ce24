#include "eventstore/store/error.hpp"

#include <utility>

#include "eventstore/core/error_texts.hpp"
#include "eventstore/core/sqlstate.hpp"

namespace eventstore {
namespace {

bool in_class(std::string_view sqlstate, std::string_view error_class) noexcept {
  return sqlstate.size() == 5 && sqlstate.starts_with(error_class);
}

// 2203x: the SQL/JSON errors (22030 to 2203G).
bool is_json_sqlstate(std::string_view sqlstate) noexcept {
  return sqlstate.size() == 5 && sqlstate.starts_with("2203");
}

}  // namespace

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::wrong_expected_version: return "wrong_expected_version";
    case ErrorCode::invalid_stream_name: return "invalid_stream_name";
    case ErrorCode::invalid_event_type: return "invalid_event_type";
    case ErrorCode::invalid_expected_version: return "invalid_expected_version";
    case ErrorCode::event_too_large: return "event_too_large";
    case ErrorCode::too_many_events: return "too_many_events";
    case ErrorCode::no_events: return "no_events";
    case ErrorCode::duplicate_event_id: return "duplicate_event_id";
    case ErrorCode::invalid_argument: return "invalid_argument";
    case ErrorCode::event_id_reused: return "event_id_reused";
    case ErrorCode::null_value: return "null_value";
    case ErrorCode::invalid_json: return "invalid_json";
    case ErrorCode::store_not_usable: return "store_not_usable";
    case ErrorCode::serialization_conflict: return "serialization_conflict";
    case ErrorCode::connection_lost: return "connection_lost";
    case ErrorCode::timeout: return "timeout";
    case ErrorCode::server_shutdown: return "server_shutdown";
    case ErrorCode::out_of_memory: return "out_of_memory";
    case ErrorCode::internal: return "internal";
    case ErrorCode::server_error: return "server_error";
    case ErrorCode::pool_exhausted: return "pool_exhausted";
    case ErrorCode::circuit_open: return "circuit_open";
    case ErrorCode::bulkhead_full: return "bulkhead_full";
    case ErrorCode::stream_deleted: return "stream_deleted";
    case ErrorCode::invalid_snapshot: return "invalid_snapshot";
    case ErrorCode::stream_not_found: return "stream_not_found";
    case ErrorCode::invalid_checkpoint: return "invalid_checkpoint";
    case ErrorCode::read_only: return "read_only";
    case ErrorCode::lease_lost: return "lease_lost";
    case ErrorCode::subscription_not_found: return "subscription_not_found";
  }
  return "unknown";
}

ErrorCode error_code_for_sqlstate(std::string_view sqlstate) noexcept {
  struct Mapping {
    std::string_view sqlstate;
    ErrorCode code;
  };
  static constexpr Mapping exact[] = {
      {core::sqlstate::wrong_expected_version, ErrorCode::wrong_expected_version},
      {core::sqlstate::invalid_stream_name, ErrorCode::invalid_stream_name},
      {core::sqlstate::invalid_event_type, ErrorCode::invalid_event_type},
      {core::sqlstate::invalid_expected_version, ErrorCode::invalid_expected_version},
      {core::sqlstate::event_too_large, ErrorCode::event_too_large},
      {core::sqlstate::too_many_events, ErrorCode::too_many_events},
      {core::sqlstate::no_events, ErrorCode::no_events},
      {core::sqlstate::duplicate_event_id, ErrorCode::duplicate_event_id},
      {core::sqlstate::invalid_read_argument, ErrorCode::invalid_argument},
      {core::sqlstate::duplicate_stream, ErrorCode::invalid_argument},  // a stream twice in one multi-stream append
      {core::sqlstate::invalid_parameter_value, ErrorCode::invalid_argument},  // a lifecycle argument
      // invalid_row_count_in_limit_clause: a negative max_count reaching the
      // LIMIT of an indexed read (the client refuses it before sending).
      {"2201W", ErrorCode::invalid_argument},
      {core::sqlstate::invalid_snapshot, ErrorCode::invalid_snapshot},
      {core::sqlstate::invalid_checkpoint, ErrorCode::invalid_checkpoint},
      // read_only_sql_transaction: a write in a read-only transaction or on a standby.
      {"25006", ErrorCode::read_only},
      {core::sqlstate::stream_deleted, ErrorCode::stream_deleted},
      // truncate_stream or set_stream_limits on a stream that never existed.
      {core::sqlstate::undefined_object, ErrorCode::stream_not_found},
      {core::sqlstate::event_id_reused, ErrorCode::event_id_reused},
      // unique_violation: two concurrent appends to different streams gave the same new id.
      {"23505", ErrorCode::event_id_reused},
      {"22004", ErrorCode::null_value},
      {"22P02", ErrorCode::invalid_json},  // invalid_text_representation: malformed JSON
      {"22P05", ErrorCode::invalid_json},  // untranslatable_character: \u0000 in JSON
      // character_not_in_repertoire: invalid UTF-8, which only a JSON payload
      // can carry (the client checks names and types before sending them).
      {"22021", ErrorCode::invalid_json},
      // statement_too_complex: JSON nested deeper than the server's stack allows.
      {"54001", ErrorCode::invalid_json},
      // numeric_value_out_of_range: a JSON number beyond what jsonb's numeric holds.
      {"22003", ErrorCode::invalid_json},
      {core::sqlstate::store_not_usable, ErrorCode::store_not_usable},
      {core::sqlstate::lease_lost, ErrorCode::lease_lost},
      {core::sqlstate::subscription_not_found, ErrorCode::subscription_not_found},
      {"42883", ErrorCode::store_not_usable},  // undefined_function: the extension is not installed
      {"3F000", ErrorCode::store_not_usable},  // invalid_schema_name: schema eventstore is missing
      {"40001", ErrorCode::serialization_conflict},
      {"40P01", ErrorCode::serialization_conflict},
      {"57014", ErrorCode::timeout},
      {"57P01", ErrorCode::server_shutdown},
      {"57P02", ErrorCode::server_shutdown},
      {"57P03", ErrorCode::server_shutdown},
  };
  for (const Mapping& mapping : exact)
    if (mapping.sqlstate == sqlstate) return mapping.code;
  if (is_json_sqlstate(sqlstate)) return ErrorCode::invalid_json;
  if (in_class(sqlstate, "08")) return ErrorCode::connection_lost;
  if (in_class(sqlstate, "53")) return ErrorCode::out_of_memory;
  if (in_class(sqlstate, "XX")) return ErrorCode::internal;
  return ErrorCode::server_error;
}

bool is_retryable(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::serialization_conflict:
    case ErrorCode::connection_lost:
    case ErrorCode::timeout:
    case ErrorCode::server_shutdown:
    case ErrorCode::pool_exhausted:
    case ErrorCode::circuit_open:
    case ErrorCode::bulkhead_full: return true;
    default: return false;
  }
}

std::optional<StreamVersion> parse_actual_version(std::string_view detail) noexcept {
  auto version = core::parse_actual_version(detail);
  if (!version) return std::nullopt;
  return StreamVersion{*version};
}

Error::Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

Error::Error(ErrorCode code, std::string sqlstate, std::string message, std::string detail, std::string hint)
    : code_(code),
      sqlstate_(std::move(sqlstate)),
      message_(std::move(message)),
      detail_(std::move(detail)),
      hint_(std::move(hint)) {}

Error Error::from_server(std::string sqlstate, std::string message, std::string detail, std::string hint) {
  ErrorCode code = error_code_for_sqlstate(sqlstate);
  return Error{code, std::move(sqlstate), std::move(message), std::move(detail), std::move(hint)};
}

std::optional<StreamVersion> Error::actual_version() const noexcept {
  if (code_ != ErrorCode::wrong_expected_version) return std::nullopt;
  return parse_actual_version(detail_);
}

std::string Error::describe() const {
  std::string text{to_string(code_)};
  if (!sqlstate_.empty()) text.append(" [").append(sqlstate_).append("]");
  text.append(": ").append(message_);
  if (!detail_.empty()) text.append(" (").append(detail_).append(")");
  return text;
}

}  // namespace eventstore
