// Declarations at namespace scope, next to the orders sample (which the
// tutorial's fragments are taken from): the fragment's own declarations hide
// the sample's, and it uses the sample for the rest.
#include <cmath>
#include <cstdint>
#include <string>
#include <variant>

#include <eventstore/framework.hpp>

#include "orders.hpp"

namespace docs_fragment {
using namespace orders;
// @fragment
}  // namespace docs_fragment
