#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

#include "eventstore/core/sqlstate.hpp"
#include "eventstore/store/error.hpp"

namespace eventstore::core::sqlstate {
namespace {

TEST(CoreSqlstate, EachCodeAndNameAppearsOnce) {
  std::set<std::string_view> codes;
  std::set<std::string_view> names;
  for (const NamedSqlstate& entry : ours) {
    EXPECT_TRUE(codes.insert(entry.code).second) << entry.code;
    EXPECT_TRUE(names.insert(entry.name).second) << entry.name;
  }
}

TEST(CoreSqlstate, OursAreSubclassesOfTheStandardClasses) {
  for (const NamedSqlstate& entry : ours) {
    EXPECT_TRUE(is_well_formed(entry.code)) << entry.code;
    std::string_view error_class = entry.code.substr(0, 2);
    // Data exceptions, integrity violations, objects not in the required
    // state, and (42, like undefined_object) an object that does not exist.
    EXPECT_TRUE(error_class == "22" || error_class == "23" || error_class == "55" || error_class == "42") << entry.code;
    EXPECT_EQ(entry.code[2], 'V') << entry.code;
  }
}

TEST(CoreSqlstate, ConsistencyCheckFindsARepeatedCodeOrName) {
  constexpr std::array<NamedSqlstate, 2> same_code{{{"22V01", "one"}, {"22V01", "two"}}};
  constexpr std::array<NamedSqlstate, 2> same_name{{{"22V01", "one"}, {"22V02", "one"}}};
  constexpr std::array<NamedSqlstate, 1> malformed{{{"22v1", "one"}}};
  static_assert(!is_consistent(same_code));
  static_assert(!is_consistent(same_name));
  static_assert(!is_consistent(malformed));
}

TEST(CoreSqlstate, NamesTheCodesTheDocumentationNames) {
  EXPECT_EQ(name_of("23V01"), "wrong_expected_version");
  EXPECT_EQ(name_of(stream_deleted), "stream_deleted");
  EXPECT_EQ(name_of(no_partition_for_time), "no_partition_for_time");
  EXPECT_EQ(name_of("22023"), std::nullopt);
  EXPECT_EQ(name_of(""), std::nullopt);
}

TEST(CoreSqlstate, ConstantsAreCStringsStringViewsAndStrings) {
  const char* c_string = wrong_expected_version;
  std::string_view view = wrong_expected_version;
  std::string text = wrong_expected_version;
  EXPECT_STREQ(c_string, "23V01");
  EXPECT_EQ(view.size(), 5U);
  EXPECT_EQ(text, "23V01");
}

// The client maps every code of ours to a specific error, never the fallback.
TEST(CoreSqlstate, TheClientMapsEveryCodeOfOurs) {
  for (const NamedSqlstate& entry : ours) {
    if (entry.code == layout_not_allowed || entry.code == no_partition_for_time) continue;  // operations, not calls
    EXPECT_NE(error_code_for_sqlstate(entry.code), ErrorCode::server_error) << entry.code;
  }
  EXPECT_EQ(error_code_for_sqlstate(wrong_expected_version), ErrorCode::wrong_expected_version);
  EXPECT_EQ(error_code_for_sqlstate(stream_deleted), ErrorCode::stream_deleted);
  EXPECT_EQ(error_code_for_sqlstate(undefined_object), ErrorCode::stream_not_found);
  EXPECT_EQ(error_code_for_sqlstate(invalid_parameter_value), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace eventstore::core::sqlstate
