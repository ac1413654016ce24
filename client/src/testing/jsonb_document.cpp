#include "jsonb_document.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <utility>
#include <vector>

#include "eventstore/core/utf8.hpp"

namespace eventstore::detail {
namespace {

// Sizes of PostgreSQL's on-disk formats (utils/jsonb.h, utils/numeric.c).
constexpr std::size_t varlena_header_bytes = 4;
constexpr std::size_t container_header_bytes = 4;
constexpr std::size_t jentry_bytes = 4;
constexpr std::size_t numeric_short_header_bytes = varlena_header_bytes + 2;
constexpr std::size_t numeric_long_header_bytes = varlena_header_bytes + 4;
constexpr std::size_t numeric_digit_bytes = 2;
constexpr int numeric_decimal_digits_per_digit = 4;
constexpr int numeric_short_scale_max = 63;
constexpr int numeric_short_weight_min = -64;
constexpr int numeric_short_weight_max = 63;
constexpr int numeric_scale_max = 0x3FFF;
constexpr int numeric_weight_max = 0x7FFF;

constexpr std::string_view utf8_byte_order_mark = "\xEF\xBB\xBF";

std::size_t aligned_to_int(std::size_t offset) { return (offset + 3) & ~std::size_t{3}; }

// Well-formed UTF-8 without NUL bytes, as PostgreSQL requires of any text.
bool is_server_text(std::string_view text) {
  return text.find('\0') == std::string_view::npos && core::is_valid_utf8(text);
}

// A string as jsonb prints it (escape_json in PostgreSQL).
void append_quoted(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

// One value, already rendered; a container is rendered when it ends, from
// its rendered members, so no recursion is needed however deep the nesting.
struct RenderedValue {
  std::string text;
  std::string equality_key;
  // Bytes of its jsonb representation from its start.
  std::size_t bytes = 0;
  // Containers and numbers start at a 4-byte boundary inside their container.
  bool aligned = false;
  bool is_container = false;
};

// A JSON number as numeric_in reads it and numeric_out prints it.
class NumericValue {
 public:
  // `lexeme` is valid JSON number syntax: -?digits(.digits)?([eE][+-]?digits)?
  explicit NumericValue(std::string_view lexeme) {
    std::size_t i = 0;
    if (lexeme[i] == '-') {
      negative_ = true;
      ++i;
    }
    std::size_t integer_digits = 0, fraction_digits = 0;
    for (; i < lexeme.size() && lexeme[i] >= '0' && lexeme[i] <= '9'; ++i, ++integer_digits)
      digits_.push_back(lexeme[i]);
    if (i < lexeme.size() && lexeme[i] == '.')
      for (++i; i < lexeme.size() && lexeme[i] >= '0' && lexeme[i] <= '9'; ++i, ++fraction_digits)
        digits_.push_back(lexeme[i]);
    long long exponent = 0;
    if (i < lexeme.size() && (lexeme[i] == 'e' || lexeme[i] == 'E')) {
      ++i;
      bool exponent_negative = lexeme[i] == '-';
      if (lexeme[i] == '-' || lexeme[i] == '+') ++i;
      for (; i < lexeme.size(); ++i) exponent = std::min(exponent * 10 + (lexeme[i] - '0'), exponent_limit);
      if (exponent_negative) exponent = -exponent;
    }
    // numeric_in refuses such exponents before it looks at the digits, even of a zero.
    exponent_in_range_ = exponent < exponent_limit && exponent > -exponent_limit;
    point_ = static_cast<long long>(integer_digits) + exponent;
    scale_ = std::max(0LL, static_cast<long long>(fraction_digits) - exponent);
    // Leading zeros move the point; trailing zeros only shorten the digits.
    std::size_t leading = digits_.find_first_not_of('0');
    if (leading == std::string::npos) {
      digits_.clear();
      negative_ = false;
      point_ = 0;
    } else {
      digits_.erase(0, leading);
      point_ -= static_cast<long long>(leading);
      digits_.erase(digits_.find_last_not_of('0') + 1);
    }
  }

  [[nodiscard]] bool fits_numeric() const {
    return exponent_in_range_ && scale_ <= numeric_scale_max && weight() <= numeric_weight_max;
  }

  // numeric_out: every digit of the scale, at least "0" before the point.
  [[nodiscard]] std::string text() const {
    std::string out = negative_ ? "-" : "";
    if (point_ <= 0) {
      out += '0';
    } else {
      for (long long position = 0; position < point_; ++position) out += digit_at(position);
    }
    if (scale_ > 0) {
      out += '.';
      for (long long position = point_; position < point_ + scale_; ++position) out += digit_at(position);
    }
    return out;
  }

  // The value alone, whatever its scale: 1.50 and 1.5 and 15e-1 give the same key.
  [[nodiscard]] std::string equality_key() const {
    if (digits_.empty()) return "0";
    return (negative_ ? "-0." : "0.") + digits_ + "e" + std::to_string(point_);
  }

  // Bytes of the numeric varlena: a short header when scale and weight allow it.
  [[nodiscard]] std::size_t stored_bytes() const {
    std::size_t digit_count = 0;
    int weight = 0;
    if (!digits_.empty()) {
      long long first = point_ - 1;  // decimal weight of the first digit
      long long last = point_ - static_cast<long long>(digits_.size());
      digit_count = static_cast<std::size_t>(base_weight(first) - base_weight(last) + 1);
      weight = static_cast<int>(base_weight(first));
    }
    bool short_form =
        scale_ <= numeric_short_scale_max && weight >= numeric_short_weight_min && weight <= numeric_short_weight_max;
    return (short_form ? numeric_short_header_bytes : numeric_long_header_bytes) + digit_count * numeric_digit_bytes;
  }

 private:
  // The weight (in base 10000 digits) of a decimal weight.
  [[nodiscard]] static long long base_weight(long long decimal_weight) {
    long long quotient = decimal_weight / numeric_decimal_digits_per_digit;
    if (decimal_weight % numeric_decimal_digits_per_digit < 0) --quotient;
    return quotient;
  }

  [[nodiscard]] long long weight() const { return digits_.empty() ? 0 : base_weight(point_ - 1); }

  [[nodiscard]] char digit_at(long long position) const {
    if (position < 0 || position >= static_cast<long long>(digits_.size())) return '0';
    return digits_[static_cast<std::size_t>(position)];
  }

  // INT_MAX / 2: the largest exponent numeric_in accepts is one below.
  static constexpr long long exponent_limit = 1'073'741'823;

  bool exponent_in_range_ = true;
  bool negative_ = false;
  std::string digits_;   // significant digits, without leading or trailing zeros
  long long point_ = 0;  // digits before the decimal point (may be negative or beyond digits_)
  long long scale_ = 0;  // digits after the point that numeric keeps
};

// Receives nlohmann's parse events and renders each container when it ends.
class JsonbRenderer {
 public:
  using number_integer_t = nlohmann::json::number_integer_t;
  using number_unsigned_t = nlohmann::json::number_unsigned_t;
  using number_float_t = nlohmann::json::number_float_t;
  using string_t = nlohmann::json::string_t;
  using binary_t = nlohmann::json::binary_t;

  bool null() { return add(RenderedValue{"null", "null", 0, false, false}); }
  bool boolean(bool value) {
    std::string text = value ? "true" : "false";
    return add(RenderedValue{text, text, 0, false, false});
  }
  bool number_integer(number_integer_t value) { return add_number(std::to_string(value)); }
  bool number_unsigned(number_unsigned_t value) { return add_number(std::to_string(value)); }
  // Floats come with their text, which keeps every digit (a double would not).
  bool number_float(number_float_t, const string_t& lexeme) { return add_number(lexeme); }
  bool string(string_t& value) {
    if (!check_no_nul(value)) return false;
    RenderedValue rendered;
    append_quoted(rendered.text, value);
    rendered.equality_key = rendered.text;
    rendered.bytes = value.size();
    return add(std::move(rendered));
  }
  bool binary(binary_t&) { return false; }

  bool start_object(std::size_t) { return open(true); }
  bool key(string_t& key) {
    if (!check_no_nul(key)) return false;
    open_containers_.back().keys.push_back(std::move(key));
    return true;
  }
  bool end_object() { return add(close_object()); }
  bool start_array(std::size_t) { return open(false); }
  bool end_array() { return add(close_array()); }

  bool parse_error(std::size_t, const std::string&, const nlohmann::json::exception& problem) {
    if (!error_) error_ = Error::from_server("22P02", "invalid input syntax for type json", problem.what());
    return false;
  }

  [[nodiscard]] Result<JsonbDocument> document() && {
    if (error_) return std::unexpected(std::move(*error_));
    if (!root_) return std::unexpected(Error::from_server("22P02", "invalid input syntax for type json"));
    JsonbDocument document;
    // A scalar at the top is stored as a one-element array marked as a scalar.
    std::size_t container = root_->is_container ? root_->bytes : scalar_container_bytes(*root_);
    document.stored_size = varlena_header_bytes + container;
    document.text = std::move(root_->text);
    document.equality_key = std::move(root_->equality_key);
    return document;
  }

 private:
  struct OpenContainer {
    bool is_object;
    std::vector<std::string> keys;
    std::vector<RenderedValue> values;
  };

  [[nodiscard]] static std::size_t scalar_container_bytes(const RenderedValue& scalar) {
    std::size_t offset = container_header_bytes + jentry_bytes;
    if (scalar.aligned) offset = aligned_to_int(offset);
    return offset + scalar.bytes;
  }

  bool fail(Error error) {
    if (!error_) error_ = std::move(error);
    return false;
  }

  bool check_no_nul(const std::string& text) {
    if (text.find('\0') == std::string::npos) return true;
    return fail(
        Error::from_server("22P05", "unsupported Unicode escape sequence", "\\u0000 cannot be converted to text."));
  }

  bool add_number(const std::string& lexeme) {
    NumericValue number{lexeme};
    if (!number.fits_numeric()) return fail(Error::from_server("22003", "value overflows numeric format"));
    return add(RenderedValue{number.text(), number.equality_key(), number.stored_bytes(), true, false});
  }

  bool open(bool is_object) {
    if (open_containers_.size() >= max_jsonb_nesting)
      return fail(Error::from_server("54001", "stack depth limit exceeded",
                                     "JSON nested deeper than " + std::to_string(max_jsonb_nesting) + " levels"));
    open_containers_.push_back(OpenContainer{is_object, {}, {}});
    return true;
  }

  bool add(RenderedValue value) {
    if (open_containers_.empty())
      root_ = std::move(value);
    else
      open_containers_.back().values.push_back(std::move(value));
    return true;
  }

  RenderedValue close_array() {
    OpenContainer array = std::move(open_containers_.back());
    open_containers_.pop_back();
    RenderedValue rendered;
    rendered.aligned = true;
    rendered.is_container = true;
    rendered.text = "[";
    rendered.equality_key = "[";
    std::size_t offset = container_header_bytes + jentry_bytes * array.values.size();
    for (std::size_t i = 0; i < array.values.size(); ++i) {
      const RenderedValue& element = array.values[i];
      if (i > 0) {
        rendered.text += ", ";
        rendered.equality_key += ',';
      }
      rendered.text += element.text;
      rendered.equality_key += element.equality_key;
      if (element.aligned) offset = aligned_to_int(offset);
      offset += element.bytes;
    }
    rendered.text += ']';
    rendered.equality_key += ']';
    rendered.bytes = offset;
    return rendered;
  }

  RenderedValue close_object() {
    OpenContainer object = std::move(open_containers_.back());
    open_containers_.pop_back();
    // jsonb orders keys by length, then bytes, and keeps the last of equal keys.
    std::vector<std::size_t> order(object.keys.size());
    std::iota(order.begin(), order.end(), 0);
    auto key_less = [&](std::size_t a, std::size_t b) {
      const std::string& left = object.keys[a];
      const std::string& right = object.keys[b];
      if (left.size() != right.size()) return left.size() < right.size();
      if (int compared = left.compare(right); compared != 0) return compared < 0;
      return a > b;  // the later of equal keys first, so that it is the one kept
    };
    std::sort(order.begin(), order.end(), key_less);
    order.erase(std::unique(order.begin(), order.end(),
                            [&](std::size_t a, std::size_t b) { return object.keys[a] == object.keys[b]; }),
                order.end());

    RenderedValue rendered;
    rendered.aligned = true;
    rendered.is_container = true;
    rendered.text = "{";
    rendered.equality_key = "{";
    std::size_t offset = container_header_bytes + 2 * jentry_bytes * order.size();
    for (std::size_t i = 0; i < order.size(); ++i) {
      const std::string& key = object.keys[order[i]];
      const RenderedValue& value = object.values[order[i]];
      if (i > 0) {
        rendered.text += ", ";
        rendered.equality_key += ',';
      }
      std::string quoted_key;
      append_quoted(quoted_key, key);
      rendered.text += quoted_key + ": " + value.text;
      rendered.equality_key += quoted_key + ":" + value.equality_key;
      offset += key.size();  // all keys first, unaligned strings
    }
    for (std::size_t index : order) {
      const RenderedValue& value = object.values[index];
      if (value.aligned) offset = aligned_to_int(offset);
      offset += value.bytes;
    }
    rendered.text += '}';
    rendered.equality_key += '}';
    rendered.bytes = offset;
    return rendered;
  }

  std::vector<OpenContainer> open_containers_;
  std::optional<RenderedValue> root_;
  std::optional<Error> error_;
};

}  // namespace

Result<JsonbDocument> parse_jsonb(std::string_view json) {
  // The server checks the encoding of all text before it parses anything.
  if (!is_server_text(json))
    return std::unexpected(Error::from_server("22021", "invalid byte sequence for encoding \"UTF8\""));
  // nlohmann skips a byte order mark; PostgreSQL does not.
  if (json.starts_with(utf8_byte_order_mark))
    return std::unexpected(
        Error::from_server("22P02", "invalid input syntax for type json", "Token \"\xEF\xBB\xBF\" is invalid."));
  JsonbRenderer renderer;
  nlohmann::json::sax_parse(json.begin(), json.end(), &renderer);
  return std::move(renderer).document();
}

}  // namespace eventstore::detail
