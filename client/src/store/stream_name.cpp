#include "eventstore/store/stream_name.hpp"

#include "eventstore/core/input_check.hpp"

namespace eventstore {

Result<StreamName> StreamName::from(std::string_view name) {
  if (auto problem = core::check_stream_name(name))
    return std::unexpected(Error{ErrorCode::invalid_stream_name, core::describe(*problem)});
  return StreamName{std::string{name}};
}

std::string_view StreamName::category() const noexcept { return core::category_of(value_); }

}  // namespace eventstore
