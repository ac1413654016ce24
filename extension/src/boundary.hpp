// The one place where PostgreSQL calls into C++. Every SQL-callable function
// is declared with EVENTSTORE_SQL_FUNCTION, which runs its body inside
// `guard`: a C++ exception is caught, its message copied into plain storage,
// and the PostgreSQL error is raised only after the catch block has ended
// (raising inside it would leak the exception object, and letting it escape
// would abort the backend).
//
// The bodies are PostgreSQL-zone code: they call PostgreSQL directly and hold
// no object with a destructor, so a PostgreSQL error that longjmps out of them
// skips nothing. Pure C++ (extension/core) is called from them and may throw.
#pragma once

#include "postgres.hpp"

#include <exception>
#include <new>

namespace eventstore::pg {

// An error a C++ part wants raised with a specific SQLSTATE.
class Failure : public std::exception {
 public:
  Failure(int sqlstate, const char* message) noexcept;
  [[nodiscard]] const char* what() const noexcept override { return message_; }
  [[nodiscard]] int sqlstate() const noexcept { return sqlstate_; }

 private:
  int sqlstate_;
  char message_[256];
};

// What the guard keeps of a caught exception: plain data only.
struct CaughtException {
  int sqlstate;
  char message[256];
};

// Throws when eventstore.debug_fail_entry_point names this entry point (the
// boundary test), so every entry point's failure path can be exercised.
void throw_if_failure_injected(const char* entry_point);

// Copies what an exception says into `caught`.
void keep_message(CaughtException& caught, int sqlstate, const char* message) noexcept;

[[noreturn]] void raise_caught(const char* entry_point, const CaughtException& caught);

template <typename Body>
Datum guard(const char* entry_point, FunctionCallInfo fcinfo, Body body) {
  CaughtException caught;
  try {
    throw_if_failure_injected(entry_point);
    return body(fcinfo);
  } catch (const Failure& failure) {
    keep_message(caught, failure.sqlstate(), failure.what());
  } catch (const std::bad_alloc&) {
    keep_message(caught, ERRCODE_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& exception) {
    keep_message(caught, ERRCODE_INTERNAL_ERROR, exception.what());
  } catch (...) {
    keep_message(caught, ERRCODE_INTERNAL_ERROR, "unknown C++ exception");
  }
  raise_caught(entry_point, caught);
}

}  // namespace eventstore::pg

// Declares the C entry point `symbol` for CREATE FUNCTION ... AS 'MODULE_PATHNAME', 'symbol'.
#define EVENTSTORE_SQL_FUNCTION(symbol, body) \
  extern "C" {                                \
  PG_FUNCTION_INFO_V1(symbol);                \
  }                                           \
  extern "C" PGDLLEXPORT Datum symbol(PG_FUNCTION_ARGS) { return eventstore::pg::guard(#symbol, fcinfo, body); }
