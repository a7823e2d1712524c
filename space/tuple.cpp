// Matching and text forms of tuples and templates.
#include <orb/space/tuple.hpp>

#include <cstdio>

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

std::string to_string(const Tuple& tuple) {
  return join(tuple);
}
std::string to_string(const Template& tmpl) {
  return join(tmpl);
}

}  // namespace orb::space
