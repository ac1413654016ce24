// The opening of an aggregate's struct: the fragment leaves it open.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include <eventstore/framework.hpp>

#include "orders.hpp"

namespace docs_fragment {
using namespace orders;
// @fragment
};
}  // namespace docs_fragment
