// The C++ spelling of IDL names, types and constant values, the minimum
// wire sizes of types, and the facts about unions that several emitters
// share. Everything here returns text or numbers; nothing writes output.
#include <idl/const_eval.hpp>
#include <idl/generator_detail.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <limits>

namespace orb::idl::gen {
namespace {

// The C++20 keywords and alternative tokens; an IDL identifier spelled like
// one of them gets the `_cxx_` prefix of the IDL-to-C++11 mapping.
constexpr std::array<std::string_view, 97> kCxxKeywords = {
    "alignas",       "alignof",     "and",
    "and_eq",        "asm",         "auto",
    "bitand",        "bitor",       "bool",
    "break",         "case",        "catch",
    "char",          "char16_t",    "char32_t",
    "char8_t",       "class",       "co_await",
    "co_return",     "co_yield",    "compl",
    "concept",       "const",       "const_cast",
    "consteval",     "constexpr",   "constinit",
    "continue",      "decltype",    "default",
    "delete",        "do",          "double",
    "dynamic_cast",  "else",        "enum",
    "explicit",      "export",      "extern",
    "false",         "float",       "for",
    "friend",        "goto",        "if",
    "inline",        "int",         "long",
    "mutable",       "namespace",   "new",
    "noexcept",      "not",         "not_eq",
    "nullptr",       "operator",    "or",
    "or_eq",         "private",     "protected",
    "public",        "register",    "reinterpret_cast",
    "requires",      "return",      "short",
    "signed",        "sizeof",      "static",
    "static_assert", "static_cast", "struct",
    "switch",        "template",    "this",
    "thread_local",  "throw",       "true",
    "try",           "typedef",     "typeid",
    "typename",      "union",       "unsigned",
    "using",         "virtual",     "void",
    "volatile",      "wchar_t",     "while",
    "xor",           "xor_eq",      "final",
    "override",      "import",      "module",
    "NULL",
};

// Sizes saturate here so that huge arrays cannot overflow the arithmetic;
// a minimum this large already rejects every length the decoder sees.
constexpr size_t kSizeCap = size_t{1} << 32;

size_t saturating_add(size_t a, size_t b) {
  return std::min(a + b, kSizeCap);
}
size_t saturating_mul(size_t a, size_t b) {
  return (b != 0 && a > kSizeCap / b) ? kSizeCap : std::min(a * b, kSizeCap);
}

const char* primitive_cxx_type(TypeKind kind) {
  switch (kind) {
    case TypeKind::void_type:
      return "void";
    case TypeKind::short_type:
      return "int16_t";
    case TypeKind::long_type:
      return "int32_t";
    case TypeKind::long_long_type:
      return "int64_t";
    case TypeKind::unsigned_short_type:
      return "uint16_t";
    case TypeKind::unsigned_long_type:
      return "uint32_t";
    case TypeKind::unsigned_long_long_type:
      return "uint64_t";
    case TypeKind::float_type:
      return "float";
    case TypeKind::double_type:
      return "double";
    case TypeKind::long_double_type:
      return "long double";
    case TypeKind::char_type:
      return "char";
    case TypeKind::wchar_type:
      return "wchar_t";
    case TypeKind::boolean_type:
      return "bool";
    case TypeKind::octet_type:
      return "uint8_t";
    case TypeKind::any_type:
      return "::orb::Any";
    case TypeKind::object_type:
      return "::orb::ObjectRef";
    case TypeKind::string_type:
      return "std::string";
    case TypeKind::wstring_type:
      return "std::wstring";
    default:
      return nullptr;
  }
}

bool is_builtin_typecode(const Decl& decl) {
  return decl.builtin && decl.kind == DeclKind::native && decl.name == "TypeCode";
}

std::string fixed_type(uint32_t digits, uint32_t scale) {
  return "::orb::Fixed<" + std::to_string(digits) + ", " + std::to_string(scale) + ">";
}

std::string named_cxx_type(const Type& type) {
  const Decl* decl = named_decl(type);
  if (decl == nullptr) {
    return type.name;
  }
  if (decl->builtin) {
    // The CORBA module of the prelude has no generated C++: its interfaces
    // are plain object references and its typedefs their underlying types.
    switch (decl->kind) {
      case DeclKind::interface:
        return "::orb::ObjectRef";
      case DeclKind::alias:
        return cxx_type(*static_cast<const Alias*>(decl)->type);
      case DeclKind::native:
        return is_builtin_typecode(*decl) ? "::orb::TypeCodeRef" : "void*";
      default:
        break;
    }
  }
  if (is_reference(type)) {
    return "std::shared_ptr<" + cxx_class_type(type) + ">";
  }
  return qualified_name(*decl);
}

std::string floating_literal(long double value, TypeKind kind) {
  char buffer[64];
  if (kind == TypeKind::float_type) {
    std::snprintf(buffer, sizeof buffer, "%.9g", static_cast<double>(value));
  } else if (kind == TypeKind::double_type) {
    std::snprintf(buffer, sizeof buffer, "%.17g", static_cast<double>(value));
  } else {
    std::snprintf(buffer, sizeof buffer, "%.21Lg", value);
  }
  std::string text = buffer;
  if (text.find_first_of(".en") == std::string::npos) {
    text += ".0";
  }
  if (kind == TypeKind::float_type) {
    text += 'F';
  } else if (kind == TypeKind::long_double_type) {
    text += 'L';
  }
  return text;
}

std::string integer_literal(Int128 value, TypeKind kind) {
  if (value == std::numeric_limits<int64_t>::min()) {
    return "(-9223372036854775807LL - 1)";  // 9223372036854775808 is not a valid literal
  }
  std::string text = to_string(value);
  if (kind == TypeKind::unsigned_long_long_type && value > std::numeric_limits<int64_t>::max()) {
    text += "ULL";
  }
  return text;
}

std::string char_literal(uint32_t code, bool wide) {
  std::string prefix = wide ? "L'" : "'";
  if (code >= 0x20 && code < 0x7f && code != '\'' && code != '\\') {
    return prefix + static_cast<char>(code) + "'";
  }
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "\\x%x'", static_cast<unsigned>(code));
  return prefix + buffer;
}

std::string wide_string_literal(const std::u32string& text) {
  std::string out = "L\"";
  bool after_hex = false;  // a hex escape swallows the hex digits that follow it
  for (char32_t c : text) {
    bool printable = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    if (printable) {
      if (after_hex && std::isxdigit(static_cast<int>(c))) {
        out += "\" L\"";
      }
      out += static_cast<char>(c);
      after_hex = false;
      continue;
    }
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "\\x%x", static_cast<unsigned>(c));
    out += buffer;
    after_hex = true;
  }
  return out + "\"";
}

std::string enumerator_name(const Enumerator& enumerator) {
  return qualified_name(*enumerator.owner) + "::" + cxx_identifier(enumerator.name);
}

// The number of decimal digits of a fixed-point constant's digits.
uint32_t digit_count(Int128 value) {
  uint32_t count = 1;
  for (value = value < 0 ? -value : value; value >= 10; value /= 10) {
    ++count;
  }
  return count;
}

std::string fixed_literal(const ConstValue& value, const Type& resolved) {
  uint32_t digits = resolved.digits;
  uint32_t scale = resolved.scale;
  if (digits == 0) {  // `const fixed F = 1.50d;` takes its size from the literal
    scale = value.scale;
    digits = std::max(digit_count(value.integer), scale);
  }
  Int128 scaled = value.integer;
  for (uint32_t s = value.scale; s < scale; ++s) {
    scaled *= 10;
  }
  for (uint32_t s = value.scale; s > scale; --s) {
    scaled /= 10;
  }
  const Int128 kSplit = 1000000000000000000;  // 10^18: larger values need two literals
  std::string raw = to_string(scaled);
  if (scaled >= kSplit || scaled <= -kSplit) {
    raw = "::orb::FixedInt{" + to_string(scaled / kSplit) + "} * 1000000000000000000 + " +
          to_string(scaled % kSplit);
  }
  return fixed_type(digits, scale) + "::from_scaled(" + raw + ")";
}

}  // namespace

std::string cxx_identifier(const std::string& name) {
  bool keyword = std::find(kCxxKeywords.begin(), kCxxKeywords.end(), name) != kCxxKeywords.end();
  return keyword ? "_cxx_" + name : name;
}

std::string qualified_name(const Decl& decl) {
  std::string out = "::" + cxx_identifier(decl.name);
  for (const Scope* scope = decl.enclosing; scope != nullptr && scope->owner != nullptr;
       scope = scope->parent) {
    out = "::" + cxx_identifier(scope->owner->name) + out;
  }
  return out;
}

const Decl* definition_of(const Decl* decl) {
  if (decl == nullptr) {
    return nullptr;
  }
  if (decl->kind == DeclKind::interface_forward) {
    return static_cast<const InterfaceForward*>(decl)->target;
  }
  if (decl->kind == DeclKind::structure_forward || decl->kind == DeclKind::union_forward) {
    return static_cast<const StructForward*>(decl)->target;
  }
  return decl;
}

const Decl* named_decl(const Type& type) {
  return type.kind == TypeKind::named_type ? definition_of(type.decl) : nullptr;
}

bool is_reference(const Type& type) {
  const Type& resolved = resolve_alias(type);
  if (resolved.kind == TypeKind::object_type) {
    return true;
  }
  const Decl* decl = named_decl(resolved);
  return decl != nullptr && decl->kind == DeclKind::interface;
}

bool is_by_value(const Type& type) {
  const Type& resolved = resolve_alias(type);
  switch (resolved.kind) {
    case TypeKind::any_type:
    case TypeKind::object_type:
    case TypeKind::string_type:
    case TypeKind::wstring_type:
    case TypeKind::fixed_type:
    case TypeKind::sequence_type:
    case TypeKind::array_type:
    case TypeKind::value_base_type:
      return false;
    case TypeKind::named_type: {
      const Decl* decl = named_decl(resolved);
      return decl != nullptr && decl->kind == DeclKind::enumeration;
    }
    default:
      return true;
  }
}

bool needs_value_init(const Type& type) {
  const Type& resolved = resolve_alias(type);
  if (resolved.kind == TypeKind::array_type) {
    return true;
  }
  return is_by_value(resolved);
}

std::string cxx_type(const Type& type) {
  if (const char* primitive = primitive_cxx_type(type.kind)) {
    return primitive;
  }
  switch (type.kind) {
    case TypeKind::fixed_type:
      return fixed_type(type.digits, type.scale);
    case TypeKind::sequence_type:
      return "std::vector<" + cxx_type(*type.element) + ">";
    case TypeKind::array_type: {
      std::string out = cxx_type(*type.element);
      for (auto it = type.dimensions.rbegin(); it != type.dimensions.rend(); ++it) {
        out = "std::array<" + out + ", " + std::to_string(*it) + ">";
      }
      return out;
    }
    case TypeKind::named_type:
      return named_cxx_type(type);
    default:
      return "void";
  }
}

std::string cxx_class_type(const Type& type) {
  if (type.kind == TypeKind::object_type) {
    return "::orb::Object";
  }
  const Decl* decl = named_decl(type);
  if (decl == nullptr || (decl->builtin && decl->kind == DeclKind::interface)) {
    return "::orb::Object";
  }
  if (decl->builtin && decl->kind == DeclKind::alias) {
    return cxx_class_type(*static_cast<const Alias*>(decl)->type);
  }
  if (decl->kind == DeclKind::interface && !static_cast<const Interface*>(decl)->defined) {
    // NOTE: an interface that is only forward-declared in this specification
    // (defined by a file it does not include) has no complete class to
    // marshal through, so its references are plain object references here.
    return "::orb::Object";
  }
  return qualified_name(*decl);
}

std::string in_param_type(const Type& type) {
  return is_by_value(type) ? cxx_type(type) : "const " + cxx_type(type) + "&";
}

std::string string_literal(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && c != '"' && c != '\\') {
      out += c;
      continue;
    }
    // Three octal digits always end the escape, whatever character follows.
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "\\%03o", byte);
    out += buffer;
  }
  return out + "\"";
}

std::string const_literal(const ConstValue& value, const Type& type) {
  const Type& resolved = resolve_alias(type);
  switch (value.kind) {
    case ConstKind::integer:
      return integer_literal(value.integer, resolved.kind);
    case ConstKind::floating:
      return floating_literal(value.floating, resolved.kind);
    case ConstKind::fixed:
      return fixed_literal(value, resolved);
    case ConstKind::character:
      return char_literal(value.character, false);
    case ConstKind::wide_character:
      return char_literal(value.character, true);
    case ConstKind::boolean:
      return value.boolean ? "true" : "false";
    case ConstKind::string:
      return string_literal(value.string);
    case ConstKind::wide_string:
      return wide_string_literal(value.wide_string);
    case ConstKind::enumerator:
      return value.enumerator != nullptr ? enumerator_name(*value.enumerator) : "{}";
    case ConstKind::none:
      break;
  }
  return "{}";
}

std::string const_type(const Type& type, const ConstValue& value) {
  const Type& resolved = resolve_alias(type);
  if (resolved.kind == TypeKind::string_type) {
    return "std::string_view";  // a constexpr view of the literal; no allocation
  }
  if (resolved.kind == TypeKind::wstring_type) {
    return "std::wstring_view";
  }
  if (resolved.kind == TypeKind::fixed_type && resolved.digits == 0) {
    uint32_t scale = value.scale;
    return fixed_type(std::max(digit_count(value.integer), scale), scale);
  }
  return cxx_type(type);
}

size_t min_wire_size(const Type& type) {
  const Type& resolved = resolve_alias(type);
  switch (resolved.kind) {
    case TypeKind::short_type:
    case TypeKind::unsigned_short_type:
      return 2;
    case TypeKind::long_type:
    case TypeKind::unsigned_long_type:
    case TypeKind::float_type:
    case TypeKind::any_type:
    case TypeKind::wstring_type:
    case TypeKind::sequence_type:
      return 4;
    case TypeKind::long_long_type:
    case TypeKind::unsigned_long_long_type:
    case TypeKind::double_type:
      return 8;
    case TypeKind::long_double_type:
      return 16;
    case TypeKind::string_type:
      return 5;  // length and NUL
    case TypeKind::object_type:
      return 9;  // empty type id and no profiles
    case TypeKind::fixed_type:
      return (resolved.digits + 2) / 2;
    case TypeKind::array_type: {
      size_t size = min_wire_size(*resolved.element);
      for (uint64_t dimension : resolved.dimensions) {
        size = saturating_mul(size, dimension);
      }
      return size;
    }
    case TypeKind::named_type: {
      const Decl* decl = named_decl(resolved);
      return decl != nullptr ? min_wire_size(*decl) : 1;
    }
    default:
      return 1;  // char, wchar, boolean, octet
  }
}

size_t min_wire_size(const Decl& decl) {
  size_t size = 0;
  switch (decl.kind) {
    case DeclKind::structure:
      for (const Member* member : static_cast<const Struct&>(decl).members) {
        size = saturating_add(size, min_wire_size(*member->type));
      }
      return size;
    case DeclKind::exception:
      for (const Member* member : static_cast<const Exception&>(decl).members) {
        size = saturating_add(size, min_wire_size(*member->type));
      }
      return size;
    case DeclKind::union_type:
      return min_wire_size(*static_cast<const Union&>(decl).discriminator);
    case DeclKind::enumeration:
      return 4;
    case DeclKind::interface:
      return 9;
    case DeclKind::native:
      return is_builtin_typecode(decl) ? 4 : 1;
    default:
      return 1;
  }
}

// ---------------------------------------------------------------------------
// Unions

int64_t label_number(const ConstValue& value) {
  switch (value.kind) {
    case ConstKind::integer:
      return static_cast<int64_t>(value.integer);
    case ConstKind::character:
    case ConstKind::wide_character:
      return value.character;
    case ConstKind::boolean:
      return value.boolean ? 1 : 0;
    case ConstKind::enumerator:
      return value.enumerator != nullptr ? value.enumerator->value : 0;
    default:
      return 0;
  }
}

std::string case_label(const CaseLabel& label, const Type& discriminator) {
  if (discriminator.kind == TypeKind::boolean_type) {
    return label.value.boolean ? "1" : "0";  // bool switches are done on int
  }
  return const_literal(label.value, discriminator);
}

namespace {

// The number of distinct values of a discriminator type, or 0 when it has
// too many for labels to cover them all.
uint64_t discriminator_range(const Type& discriminator) {
  switch (discriminator.kind) {
    case TypeKind::boolean_type:
      return 2;
    case TypeKind::char_type:
      return 256;
    case TypeKind::short_type:
    case TypeKind::unsigned_short_type:
      return 65536;
    case TypeKind::named_type: {
      const Decl* decl = named_decl(discriminator);
      if (decl != nullptr && decl->kind == DeclKind::enumeration) {
        return static_cast<const Enum*>(decl)->enumerators.size();
      }
      return 0;
    }
    default:
      return 0;
  }
}

// Finds the smallest value, in the order the discriminator's type lists
// them, that no case label uses.
void pick_default_label(UnionModel& model, const std::set<int64_t>& used) {
  const Type& discriminator = *model.discriminator;
  const Decl* decl = named_decl(discriminator);
  if (decl != nullptr && decl->kind == DeclKind::enumeration) {
    for (const Enumerator* enumerator : static_cast<const Enum*>(decl)->enumerators) {
      if (used.count(enumerator->value) == 0) {
        model.default_label = enumerator_name(*enumerator);
        model.default_label_number = enumerator->value;
        return;
      }
    }
  }
  int64_t candidate = 0;
  while (used.count(candidate) != 0) {
    ++candidate;
  }
  model.default_label_number = candidate;
  ConstValue value;
  switch (discriminator.kind) {
    case TypeKind::boolean_type:
      model.default_label = candidate != 0 ? "true" : "false";
      return;
    case TypeKind::char_type:
      value.kind = ConstKind::character;
      break;
    case TypeKind::wchar_type:
      value.kind = ConstKind::wide_character;
      break;
    default:
      value.kind = ConstKind::integer;
      break;
  }
  value.integer = candidate;
  value.character = static_cast<uint32_t>(candidate);
  model.default_label = const_literal(value, discriminator);
}

}  // namespace

UnionModel make_union_model(const Union& u) {
  UnionModel model;
  model.decl = &u;
  model.discriminator = &resolve_alias(*u.discriminator);
  std::set<int64_t> used;
  for (const UnionBranch* branch : u.branches) {
    for (const CaseLabel& label : branch->labels) {
      if (label.is_default) {
        model.has_explicit_default = true;
      } else {
        used.insert(label_number(label.value));
      }
    }
  }
  uint64_t range = discriminator_range(*model.discriminator);
  model.has_implicit_default = !model.has_explicit_default && (range == 0 || used.size() < range);
  if (model.has_explicit_default || model.has_implicit_default) {
    pick_default_label(model, used);
  }
  return model;
}

}  // namespace orb::idl::gen
