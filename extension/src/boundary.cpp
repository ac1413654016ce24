#include "boundary.hpp"

#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "settings.hpp"

namespace eventstore::pg {

Failure::Failure(int sqlstate, const char* message) noexcept : sqlstate_(sqlstate) {
  std::snprintf(message_, sizeof message_, "%s", message);
}

void throw_if_failure_injected(const char* entry_point) {
  const char* target = settings::debug_fail_entry_point;
  if (target == nullptr || target[0] == '\0') return;
  if (std::strcmp(target, "*") == 0 || std::strcmp(target, entry_point) == 0)
    throw std::runtime_error("failure injected by eventstore.debug_fail_entry_point");
}

void keep_message(CaughtException& caught, int sqlstate, const char* message) noexcept {
  caught.sqlstate = sqlstate;
  std::snprintf(caught.message, sizeof caught.message, "%s", message != nullptr ? message : "");
}

void raise_caught(const char* entry_point, const CaughtException& caught) {
  ereport(ERROR, (errcode(caught.sqlstate), errmsg("%s", caught.message),
                  errcontext("pg_eventstore C++ code called by %s", entry_point)));
  pg_unreachable();
}

}  // namespace eventstore::pg
