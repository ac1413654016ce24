#include "eventstore/framework/type_name.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>

namespace eventstore {

std::string readable_type_name(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> demangled{abi::__cxa_demangle(type.name(), nullptr, nullptr, &status),
                                                        &std::free};
  return status == 0 && demangled ? std::string{demangled.get()} : std::string{type.name()};
}

std::string unqualified_type_name(const std::type_info& type) {
  std::string name = readable_type_name(type);
  // The last "::" outside template arguments.
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i + 1 < name.size(); ++i) {
    if (name[i] == '<') ++depth;
    if (name[i] == '>') --depth;
    if (depth == 0 && name[i] == ':' && name[i + 1] == ':') start = i + 2;
  }
  return name.substr(start);
}

}  // namespace eventstore
