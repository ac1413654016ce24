#include "eventstore/projections/projection.hpp"

namespace eventstore {

std::string ProjectionContext::table(std::string_view name) const {
  return "\"" + schema_ + "\".\"" + std::string{name} + "\"";
}

void ProjectionContext::after_commit(std::function<void()> effect) { effects_.push_back(std::move(effect)); }

}  // namespace eventstore
