// Matching and text forms of tuples and templates.
#include <orb/space/tuple.hpp>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>

namespace orb::space {

Tuple make_tuple(std::initializer_list<FieldValue> values) {
  Tuple tuple;
  tuple.reserve(values.size());
  for (const FieldValue& value : values) {
    tuple.push_back(value.field());
  }
  return tuple;
}

Template make_template(std::initializer_list<TemplateItem> items) {
  Template tmpl;
  tmpl.reserve(items.size());
  for (const TemplateItem& item : items) {
    tmpl.push_back(item.item());
  }
  return tmpl;
}

TemplateField exactly(Field value) {
  TemplateField item;
  item.value(std::move(value));
  return item;
}

TemplateField of_type(FieldType type) {
  TemplateField item;
  item.type(type);
  return item;
}

TemplateField anything() {
  TemplateField item;
  item._default();
  return item;
}

bool matches(const TemplateField& item, const Field& field) {
  switch (item._d()) {
    case ::OrbSpace::MatchKind::match_value:
      return item.value() == field;
    case ::OrbSpace::MatchKind::match_type:
      return item.type() == field._d();
    case ::OrbSpace::MatchKind::match_anything:
      return true;
  }
  return false;
}

bool matches(const Template& tmpl, const Tuple& tuple) {
  if (tmpl.size() != tuple.size()) {
    return false;
  }
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (!matches(tmpl[i], tuple[i])) {
      return false;
    }
  }
  return true;
}

std::string_view type_name(FieldType type) noexcept {
  switch (type) {
    case FieldType::type_boolean:
      return "bool";
    case FieldType::type_long_long:
      return "int";
    case FieldType::type_double:
      return "double";
    case FieldType::type_string:
      return "string";
    case FieldType::type_bytes:
      return "bytes";
    case FieldType::type_any:
      return "any";
  }
  return "unknown";
}

namespace {

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7f) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\x%02x", c);
      out += escape;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string hex(const Bytes& bytes) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out = "0x";
  for (uint8_t byte : bytes) {
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0xf];
  }
  return out;
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  std::string out = text;
  // Keep doubles recognisable as doubles: 3 prints as 3.0.
  if (out.find_first_of(".eEn") == std::string::npos) {
    out += ".0";
  }
  return out;
}

}  // namespace

std::string to_string(const Field& field) {
  switch (field._d()) {
    case FieldType::type_boolean:
      return field.boolean_value() ? "true" : "false";
    case FieldType::type_long_long:
      return std::to_string(field.long_value());
    case FieldType::type_double:
      return number(field.double_value());
    case FieldType::type_string:
      return quoted(field.string_value());
    case FieldType::type_bytes:
      return hex(field.bytes_value());
    case FieldType::type_any:
      return "<any of kind " + std::to_string(static_cast<int>(field.any_value().type()->kind())) +
             ">";
  }
  return "?";
}

std::string to_string(const TemplateField& item) {
  switch (item._d()) {
    case ::OrbSpace::MatchKind::match_value:
      return to_string(item.value());
    case ::OrbSpace::MatchKind::match_type:
      return "<" + std::string(type_name(item.type())) + ">";
    case ::OrbSpace::MatchKind::match_anything:
      return "*";
  }
  return "?";
}

namespace {

template <class Sequence>
std::string join(const Sequence& items) {
  std::string out = "(";
  for (size_t i = 0; i < items.size(); ++i) {
    out += i == 0 ? "" : ", ";
    out += to_string(items[i]);
  }
  return out + ")";
}

}  // namespace

namespace {

[[noreturn]] void reject(std::string_view text, const std::string& problem) {
  throw ::OrbSpace::InvalidArgument("invalid field '" + std::string(text) + "': " + problem);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

Bytes parse_hex(std::string_view text) {
  std::string_view digits = text.substr(2);
  if (digits.size() % 2 != 0) {
    reject(text, "bytes need an even number of hex digits");
  }
  Bytes bytes;
  for (size_t i = 0; i < digits.size(); i += 2) {
    int high = hex_digit(digits[i]);
    int low = hex_digit(digits[i + 1]);
    if (high < 0 || low < 0) {
      reject(text, "bytes take only hex digits after 0x");
    }
    bytes.push_back(static_cast<uint8_t>(high * 16 + low));
  }
  return bytes;
}

/// Decodes the escape at text[i] (just after a backslash) onto `out`;
/// returns the index of its last character.
size_t unescape(std::string_view text, size_t i, std::string& out) {
  char escape = text[i];
  if (escape == 'n') {
    out += '\n';
    return i;
  }
  if (escape == '"' || escape == '\\') {
    out += escape;
    return i;
  }
  if (escape == 'x') {
    if (i + 2 >= text.size() - 1 || hex_digit(text[i + 1]) < 0 || hex_digit(text[i + 2]) < 0) {
      reject(text, "the escape \\x needs two hex digits");
    }
    auto byte = static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
    if (byte == '\0') {
      // A CDR string ends with a NUL, and the classic C++ mapping (char*) of
      // other ORBs would cut the text at an inner one.
      reject(text, "a string cannot hold \\x00; use bytes (0x...) for binary data");
    }
    out += byte;
    return i + 2;
  }
  reject(text, std::string("unknown escape \\") + escape);
}

std::string parse_quoted(std::string_view text) {
  if (text.size() < 2 || text.back() != '"') {
    reject(text, "the string has no closing quote");
  }
  std::string out;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
    } else if (i + 2 >= text.size()) {
      reject(text, "the string ends in the middle of an escape");
    } else {
      i = unescape(text, i + 1, out);
    }
  }
  return out;
}

/// The number that all of `text` spells, if it is one. The words that
/// number() prints for infinities and NaN read back as doubles.
std::optional<Field> parse_number(std::string_view text) {
  Field field;
  bool negative = text.starts_with('-');
  std::string_view magnitude = negative || text.starts_with('+') ? text.substr(1) : text;
  if (magnitude == "inf" || magnitude == "nan") {
    double value = magnitude == "inf" ? std::numeric_limits<double>::infinity()
                                      : std::numeric_limits<double>::quiet_NaN();
    field.double_value(negative ? -value : value);
    return field;
  }
  std::string copy(text);
  // strtod and strtoll skip leading spaces; a word with spaces is a string.
  if (copy.empty() || std::isspace(static_cast<unsigned char>(copy.front())) != 0) {
    return std::nullopt;
  }
  char* end = nullptr;
  errno = 0;
  bool in_range = true;
  if (copy.find_first_of(".eE") != std::string::npos) {
    double value = std::strtod(copy.c_str(), &end);
    // strtod also sets ERANGE for a subnormal result, which a double still
    // represents, so only an overflow or an underflow to zero is refused.
    in_range = errno != ERANGE || (value != 0 && std::isfinite(value));
    field.double_value(value);
  } else {
    field.long_value(std::strtoll(copy.c_str(), &end, 10));
    in_range = errno != ERANGE;
  }
  if (end != copy.c_str() + copy.size()) {
    return std::nullopt;
  }
  if (!in_range) {
    reject(text, "the number is out of range");
  }
  return field;
}

}  // namespace

Field parse_field(std::string_view text) {
  Field field;
  if (text == "true" || text == "false") {
    field.boolean_value(text == "true");
  } else if (text.starts_with("0x") || text.starts_with("0X")) {
    field.bytes_value(parse_hex(text));
  } else if (text.starts_with('"')) {
    field.string_value(parse_quoted(text));
  } else if (std::optional<Field> number = parse_number(text)) {
    field = std::move(*number);
  } else {
    field.string_value(std::string(text));
  }
  return field;
}

TemplateField parse_template_field(std::string_view text) {
  if (text == "*") {
    return anything();
  }
  if (text.size() > 2 && text.front() == '<' && text.back() == '>') {
    std::string_view name = text.substr(1, text.size() - 2);
    for (int type = 0; type <= static_cast<int>(FieldType::type_any); ++type) {
      if (type_name(static_cast<FieldType>(type)) == name) {
        return of_type(static_cast<FieldType>(type));
      }
    }
    reject(text, "unknown type; use bool, int, double, string, bytes or any");
  }
  return exactly(parse_field(text));
}

std::string to_string(const Tuple& tuple) {
  return join(tuple);
}
std::string to_string(const Template& tmpl) {
  return join(tmpl);
}

}  // namespace orb::space
