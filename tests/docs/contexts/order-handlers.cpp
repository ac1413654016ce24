// The opening of a function: the fragment leaves it open.
#include <eventstore/framework.hpp>

#include "orders.hpp"

namespace docs_fragment {
using namespace orders;
// @fragment
}
}  // namespace docs_fragment
