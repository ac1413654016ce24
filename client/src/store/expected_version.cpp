#include "eventstore/store/expected_version.hpp"

#include <string>

#include "eventstore/core/input_check.hpp"

namespace eventstore {

Result<ExpectedVersion> ExpectedVersion::from_value(std::int64_t value) {
  if (auto problem = core::check_expected_version(value))
    return std::unexpected(Error{ErrorCode::invalid_expected_version,
                                 std::string{core::describe(*problem)} + ", got " + std::to_string(value)});
  return ExpectedVersion{value};
}

}  // namespace eventstore
