// JSON text as the server's jsonb keeps it, computed without a server: the
// text reads return (keys sorted shorter first, the last of duplicate keys
// kept, numbers as PostgreSQL's numeric prints them), a key that is equal
// exactly when two documents are equal as jsonb (1.0 = 1.00, key order and
// spacing aside), and the stored size that eventstore.max_event_size limits.
// The in-memory store uses it to behave as the server does.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "eventstore/store/result.hpp"

namespace eventstore::detail {

struct JsonbDocument {
  // As jsonb prints it: {"a": 1, "bb": [true, null]}.
  std::string text;
  // Equal for two documents exactly when they are equal as jsonb.
  std::string equality_key;
  // Bytes of the jsonb value with its 4-byte header, as the server measures
  // data and metadata against eventstore.max_event_size.
  std::size_t stored_size = 0;
};

// Deeper nesting is refused (54001) before the server's stack limit, which
// depends on its max_stack_depth (about 13,000 levels with the default 2MB).
inline constexpr std::size_t max_jsonb_nesting = 10'000;

// The document, or invalid_json with the SQLSTATE the server gives: 22021
// for bytes that are not UTF-8 (or a NUL byte), 22P05 for \u0000, 54001 for
// nesting deeper than max_jsonb_nesting, 22P02 for anything else malformed.
// A number beyond numeric's range is 22003 (server_error), as on the server.
[[nodiscard]] Result<JsonbDocument> parse_jsonb(std::string_view json);

}  // namespace eventstore::detail
