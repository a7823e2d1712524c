// Conversions between CosNaming names and their INS string and URL forms.
#include <orb/naming/names.hpp>

#include <orb/exception.hpp>
#include <orb/ior/corbaloc.hpp>

#include <array>
#include <cctype>

namespace orb::naming {
namespace {

using InvalidName = CosNaming::NamingContext::InvalidName;

/// Tests for the characters that have a meaning in the string form, which
/// are escaped with '\' when they appear inside an id or a kind.
bool is_special(char c) {
  return c == '/' || c == '.' || c == '\\';
}

void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    if (is_special(c)) {
      out += '\\';
    }
    out += c;
  }
}

/// Parses one component, the text between two unescaped slashes.
CosNaming::NameComponent parse_component(std::string_view text) {
  if (text.empty()) {
    throw InvalidName();
  }
  CosNaming::NameComponent component;
  std::string* target = &component.id;
  bool seen_dot = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\') {
      if (++i == text.size()) {
        throw InvalidName();
      }
      *target += text[i];
    } else if (c == '.') {
      if (seen_dot) {
        throw InvalidName();
      }
      seen_dot = true;
      target = &component.kind;
    } else {
      *target += c;
    }
  }
  return component;
}

/// RFC 2396 characters that a URL carries as they are; '/' stays unescaped
/// because it separates the components of the name.
bool is_url_safe(char c) {
  static constexpr std::string_view kMarks = ";/:?@&=+$,-_.!~*'()";
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || kMarks.find(c) != std::string::npos;
}

}  // namespace

std::string component_to_string(const CosNaming::NameComponent& component) {
  if (component.id.empty() && component.kind.empty()) {
    return ".";
  }
  std::string out;
  append_escaped(out, component.id);
  if (!component.kind.empty()) {
    out += '.';
    append_escaped(out, component.kind);
  }
  return out;
}

std::string to_string(const CosNaming::Name& name) {
  if (name.empty()) {
    throw InvalidName();
  }
  std::string out;
  for (const CosNaming::NameComponent& component : name) {
    if (!out.empty()) {
      out += '/';
    }
    out += component_to_string(component);
  }
  return out;
}

CosNaming::Name to_name(std::string_view text) {
  CosNaming::Name name;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] == '\\') {
      if (i + 1 == text.size()) {
        throw InvalidName();  // an escape with nothing to escape
      }
      ++i;  // the escaped character cannot end the component
      continue;
    }
    if (i == text.size() || text[i] == '/') {
      name.push_back(parse_component(text.substr(start, i - start)));
      start = i + 1;
    }
  }
  return name;
}

std::string to_url(std::string_view address, std::string_view string_name) {
  try {
    ior::parse_corbaname("corbaname:" + std::string(address));
  } catch (const SystemException&) {
    throw CosNaming::NamingContextExt::InvalidAddress();
  }
  to_name(string_name);  // raises InvalidName
  static constexpr std::array<char, 16> kHex{'0', '1', '2', '3', '4', '5', '6', '7',
                                             '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string url = "corbaname:" + std::string(address) + "#";
  for (char c : string_name) {
    if (is_url_safe(c)) {
      url += c;
    } else {
      auto byte = static_cast<unsigned char>(c);
      url += '%';
      url += kHex[byte >> 4];
      url += kHex[byte & 0xF];
    }
  }
  return url;
}

}  // namespace orb::naming
