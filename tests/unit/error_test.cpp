#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "eventstore/store/error.hpp"

namespace eventstore {
namespace {

struct SqlstateCase {
  const char* sqlstate;
  ErrorCode code;
};

const std::vector<SqlstateCase> documented_sqlstates = {
    {"23V01", ErrorCode::wrong_expected_version},
    {"22V01", ErrorCode::invalid_stream_name},
    {"22V02", ErrorCode::invalid_event_type},
    {"22V03", ErrorCode::invalid_expected_version},
    {"22V04", ErrorCode::event_too_large},
    {"22V05", ErrorCode::too_many_events},
    {"22V06", ErrorCode::no_events},
    {"22V07", ErrorCode::duplicate_event_id},
    {"22V08", ErrorCode::invalid_argument},
    {"22V09", ErrorCode::invalid_argument},
    {"22023", ErrorCode::invalid_argument},
    {"2201W", ErrorCode::invalid_argument},  // a negative LIMIT in an indexed read
    {"22V10", ErrorCode::invalid_snapshot},
    {"23V03", ErrorCode::stream_deleted},
    {"42704", ErrorCode::stream_not_found},
    {"23V02", ErrorCode::event_id_reused},
    {"23505", ErrorCode::event_id_reused},
    {"22004", ErrorCode::null_value},
    {"22P02", ErrorCode::invalid_json},
    {"22P05", ErrorCode::invalid_json},
    {"22021", ErrorCode::invalid_json},
    {"22030", ErrorCode::invalid_json},
    {"22032", ErrorCode::invalid_json},
    {"2203F", ErrorCode::invalid_json},
    {"55V01", ErrorCode::store_not_usable},
    {"42883", ErrorCode::store_not_usable},
    {"3F000", ErrorCode::store_not_usable},
    {"40001", ErrorCode::serialization_conflict},
    {"40P01", ErrorCode::serialization_conflict},
    {"08000", ErrorCode::connection_lost},
    {"08006", ErrorCode::connection_lost},
    {"08P01", ErrorCode::connection_lost},
    {"57014", ErrorCode::timeout},
    {"57P01", ErrorCode::server_shutdown},
    {"57P02", ErrorCode::server_shutdown},
    {"57P03", ErrorCode::server_shutdown},
    {"53000", ErrorCode::out_of_memory},
    {"53200", ErrorCode::out_of_memory},
    {"53100", ErrorCode::out_of_memory},
    {"XX000", ErrorCode::internal},
    {"XX001", ErrorCode::internal},
    {"42501", ErrorCode::server_error},  // insufficient_privilege
    {"54001", ErrorCode::invalid_json},  // statement_too_complex: JSON nested too deep
    {"22V99", ErrorCode::server_error},  // not ours (yet)
    {"23503", ErrorCode::server_error},
    {"55000", ErrorCode::server_error},
    {"57000", ErrorCode::server_error},
    {"", ErrorCode::server_error},
    {"08", ErrorCode::server_error},  // not a SQLSTATE
};

TEST(ErrorCodeForSqlstate, MapsEveryDocumentedSqlstate) {
  for (const SqlstateCase& entry : documented_sqlstates)
    EXPECT_EQ(error_code_for_sqlstate(entry.sqlstate), entry.code)
        << entry.sqlstate << " gave " << to_string(error_code_for_sqlstate(entry.sqlstate));
}

TEST(ErrorCodeForSqlstate, RetryableOnlyWhereTryingAgainMayHelp) {
  const std::set<ErrorCode> retryable = {ErrorCode::serialization_conflict, ErrorCode::connection_lost,
                                         ErrorCode::timeout, ErrorCode::server_shutdown};
  for (int value = 0; value <= static_cast<int>(ErrorCode::server_error); ++value) {
    auto code = static_cast<ErrorCode>(value);
    EXPECT_EQ(is_retryable(code), retryable.contains(code)) << to_string(code);
  }
}

TEST(ErrorCodeNames, EveryCodeHasAUniqueName) {
  std::set<std::string_view> names;
  for (int value = 0; value <= static_cast<int>(ErrorCode::server_error); ++value)
    names.insert(to_string(static_cast<ErrorCode>(value)));
  EXPECT_EQ(names.size(), static_cast<std::size_t>(ErrorCode::server_error) + 1);
  EXPECT_EQ(to_string(ErrorCode::wrong_expected_version), "wrong_expected_version");
  EXPECT_FALSE(names.contains("unknown"));
}

TEST(ParseActualVersion, ReadsTheDetailLine) {
  EXPECT_EQ(parse_actual_version("actual version: 0"), StreamVersion{0});
  EXPECT_EQ(parse_actual_version("actual version: 41"), StreamVersion{41});
  EXPECT_EQ(parse_actual_version("actual version: -1"), StreamVersion::no_stream());
  EXPECT_EQ(parse_actual_version("actual version: 9223372036854775807"), StreamVersion{9223372036854775807});
  EXPECT_EQ(parse_actual_version("something first\nactual version: 7\nmore"), StreamVersion{7});
}

TEST(ParseActualVersion, RejectsAnythingElse) {
  for (const char* detail : {"", "actual version:", "actual version: ", "actual version: x", "actual version: 12abc",
                             "actual version: 99999999999999999999", "version: 3", "Actual Version: 3"})
    EXPECT_EQ(parse_actual_version(detail), std::nullopt) << detail;
}

TEST(Error, FromServerTakesTheCodeFromTheSqlstate) {
  Error error = Error::from_server("23V01", "wrong expected version for stream \"a\"", "actual version: 3", "a hint");
  EXPECT_EQ(error.code(), ErrorCode::wrong_expected_version);
  EXPECT_EQ(error.sqlstate(), "23V01");
  EXPECT_EQ(error.detail(), "actual version: 3");
  EXPECT_EQ(error.hint(), "a hint");
  EXPECT_EQ(error.actual_version(), StreamVersion{3});
  EXPECT_FALSE(error.retryable());
  EXPECT_EQ(error.describe(),
            "wrong_expected_version [23V01]: wrong expected version for stream \"a\" (actual version: 3)");
}

TEST(Error, ActualVersionOnlyForWrongExpectedVersion) {
  Error error = Error::from_server("22V08", "bad", "actual version: 3");
  EXPECT_EQ(error.actual_version(), std::nullopt);
}

TEST(Error, ClientFoundErrorsHaveNoSqlstate) {
  Error error{ErrorCode::invalid_stream_name, "stream name must not be empty"};
  EXPECT_TRUE(error.sqlstate().empty());
  EXPECT_EQ(error.describe(), "invalid_stream_name: stream name must not be empty");
}

TEST(Error, ALostConnectionKeepsTheAnnouncingSqlstate) {
  Error error{ErrorCode::connection_lost, "57P01", "terminating connection due to administrator command", "", ""};
  EXPECT_EQ(error.code(), ErrorCode::connection_lost);
  EXPECT_EQ(error.sqlstate(), "57P01");
  EXPECT_TRUE(error.retryable());
}

}  // namespace
}  // namespace eventstore

namespace eventstore {
namespace {

// Refusals of the resilience components: nothing was tried, so trying again later may work.
TEST(ErrorCodeNames, ResilienceRefusalsAreNamedAndRetryable) {
  EXPECT_EQ(to_string(ErrorCode::circuit_open), "circuit_open");
  EXPECT_EQ(to_string(ErrorCode::bulkhead_full), "bulkhead_full");
  EXPECT_TRUE(is_retryable(ErrorCode::circuit_open));
  EXPECT_TRUE(is_retryable(ErrorCode::bulkhead_full));
  Error refused{ErrorCode::circuit_open, "the circuit is open"};
  EXPECT_TRUE(refused.retryable());
  EXPECT_TRUE(refused.sqlstate().empty());
  EXPECT_EQ(refused.describe(), "circuit_open: the circuit is open");
  // Added at the end of the enumeration: every code up to them still has a name of its own.
  std::set<std::string_view> names;
  for (int value = 0; value <= static_cast<int>(ErrorCode::bulkhead_full); ++value)
    names.insert(to_string(static_cast<ErrorCode>(value)));
  EXPECT_EQ(names.size(), static_cast<std::size_t>(ErrorCode::bulkhead_full) + 1);
  EXPECT_FALSE(names.contains("unknown"));
}

}  // namespace
}  // namespace eventstore

namespace eventstore {
namespace {

// The stream lifecycle and snapshots: none of them helps on a second try.
TEST(ErrorCodeNames, LifecycleAndSnapshotCodesAreNamedAndFinal) {
  EXPECT_EQ(to_string(ErrorCode::stream_deleted), "stream_deleted");
  EXPECT_EQ(to_string(ErrorCode::invalid_snapshot), "invalid_snapshot");
  EXPECT_EQ(to_string(ErrorCode::stream_not_found), "stream_not_found");
  for (ErrorCode code : {ErrorCode::stream_deleted, ErrorCode::invalid_snapshot, ErrorCode::stream_not_found})
    EXPECT_FALSE(is_retryable(code)) << to_string(code);
  Error tombstoned = Error::from_server("23V03", "stream \"cart-1\" is deleted for good (tombstoned)");
  EXPECT_EQ(tombstoned.code(), ErrorCode::stream_deleted);
  EXPECT_EQ(tombstoned.describe(), "stream_deleted [23V03]: stream \"cart-1\" is deleted for good (tombstoned)");
  std::set<std::string_view> names;
  for (int value = 0; value <= static_cast<int>(ErrorCode::stream_not_found); ++value)
    names.insert(to_string(static_cast<ErrorCode>(value)));
  EXPECT_EQ(names.size(), static_cast<std::size_t>(ErrorCode::stream_not_found) + 1);
  EXPECT_FALSE(names.contains("unknown"));
}

}  // namespace
}  // namespace eventstore
