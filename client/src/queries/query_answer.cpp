#include "eventstore/queries/query_answer.hpp"

#include <string>

namespace eventstore {
namespace {

// Without the spaces and tabs around it.
std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The entity tag without its weakness indicator: W/"x" and "x" compare equal for If-None-Match.
std::string_view opaque_tag(std::string_view tag) {
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  return tag;
}

}  // namespace

std::string CacheControlPolicy::header_value() const {
  if (no_store) return "no-store";
  std::string value = audience == CacheAudience::shared ? "public" : "private";
  if (max_age.count() <= 0) return value + ", no-cache";
  return value + ", max-age=" + std::to_string(max_age.count());
}

std::string etag_for(LogPosition position) {
  return "\"" + std::to_string(position.transaction_id) + "-" + std::to_string(position.position.value()) + "\"";
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (trimmed(if_none_match) == "*") return true;
  std::string_view wanted = opaque_tag(etag);
  while (!if_none_match.empty()) {
    std::size_t comma = if_none_match.find(',');
    std::string_view tag = trimmed(if_none_match.substr(0, comma));
    if (!tag.empty() && opaque_tag(tag) == wanted) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace eventstore
