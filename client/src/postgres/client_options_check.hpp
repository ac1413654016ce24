// Whether a Client can work with these options; invalid_argument says which
// one is wrong.
#pragma once

#include "eventstore/postgres/client_options.hpp"
#include "eventstore/store/result.hpp"

namespace eventstore::detail {

[[nodiscard]] Result<void> check_client_options(const ClientOptions& options);

}  // namespace eventstore::detail
