// Readable C++ type names for messages, logs and metrics.
#pragma once

#include <string>
#include <typeinfo>

namespace eventstore {

// The demangled name: "orders::ShipOrder".
[[nodiscard]] std::string readable_type_name(const std::type_info& type);

// Without namespaces or enclosing classes: "ShipOrder".
[[nodiscard]] std::string unqualified_type_name(const std::type_info& type);

}  // namespace eventstore
