// Marshalling statements and TypeCode expressions for IDL types. A type
// with no bound anywhere in it is marshalled by its orb::cdr::Codec; bounded
// strings and sequences, and containers of them, are written out here so
// that every bound is checked on both encode and decode.
#include <idl/generator_detail.hpp>

#include <algorithm>

namespace orb::idl::gen {
namespace {

void check_marshallable(const Type& type) {
  const Type& resolved = resolve_alias(type);
  const Decl* decl = named_decl(resolved);
  if (decl != nullptr && decl->kind == DeclKind::native &&
      !(decl->builtin && decl->name == "TypeCode")) {
    throw GeneratorError(type.location, "native type '" + decl->scoped_name() +
                                            "' cannot be marshalled; it may only appear in "
                                            "local interfaces");
  }
  if (resolved.kind == TypeKind::value_base_type) {
    throw GeneratorError(type.location, "ValueBase is not supported by the C++ generator yet");
  }
}

std::string depth_name(const char* base, int depth) {
  return base + std::to_string(depth);
}

void encode_array(CodeWriter& w, const Type& array, size_t dimension, const std::string& encoder,
                  const std::string& expr, int depth) {
  if (dimension == array.dimensions.size()) {
    emit_encode(w, *array.element, encoder, expr, depth);
    return;
  }
  std::string item = depth_name("_orb_item", depth);
  w.open("for (const auto& " + item + " : " + expr + ")");
  encode_array(w, array, dimension + 1, encoder, item, depth + 1);
  w.close();
}

void decode_array(CodeWriter& w, const Type& array, size_t dimension, const std::string& decoder,
                  const std::string& expr, int depth) {
  if (dimension == array.dimensions.size()) {
    emit_decode(w, *array.element, decoder, expr, depth);
    return;
  }
  std::string item = depth_name("_orb_item", depth);
  w.open("for (auto& " + item + " : " + expr + ")");
  decode_array(w, array, dimension + 1, decoder, item, depth + 1);
  w.close();
}

void decode_expanded_sequence(CodeWriter& w, const Type& sequence, const std::string& decoder,
                              const std::string& expr, int depth) {
  std::string length = depth_name("_orb_length", depth);
  std::string index = depth_name("_orb_i", depth);
  std::string item = depth_name("_orb_item", depth);
  std::string target = depth_name("_orb_sequence", depth);
  w.open("");
  w.line("auto& " + target + " = " + expr + ";");
  w.line("uint32_t " + length + " = " + decoder + ".read_length(" +
         std::to_string(min_wire_size(*sequence.element)) + ", " + std::to_string(sequence.bound) +
         ", \"sequence\");");
  w.line(target + ".clear();");
  w.open("for (uint32_t " + index + " = 0; " + index + " < " + length + "; ++" + index + ")");
  w.line("auto& " + item + " = " + target + ".emplace_back();");
  emit_decode(w, *sequence.element, decoder, item, depth + 1);
  w.close();
  w.close();
}

}  // namespace

bool needs_expansion(const Type& type) {
  const Type& resolved = resolve_alias(type);
  switch (resolved.kind) {
    case TypeKind::string_type:
    case TypeKind::wstring_type:
      return resolved.bound != 0;
    case TypeKind::sequence_type:
      return resolved.bound != 0 || needs_expansion(*resolved.element);
    case TypeKind::array_type:
      return needs_expansion(*resolved.element);
    default:
      return false;
  }
}

void emit_encode(CodeWriter& w, const Type& type, const std::string& encoder,
                 const std::string& expr, int depth) {
  check_marshallable(type);
  const Type& resolved = resolve_alias(type);
  if (!needs_expansion(resolved)) {
    w.line("::orb::cdr::encode(" + encoder + ", " + expr + ");");
    return;
  }
  std::string bound = std::to_string(resolved.bound);
  switch (resolved.kind) {
    case TypeKind::string_type:
      w.line(encoder + ".write_string(" + expr + ", " + bound + ");");
      return;
    case TypeKind::wstring_type:
      w.line(encoder + ".write_wstring(" + expr + ", " + bound + ");");
      return;
    case TypeKind::sequence_type:
      if (!needs_expansion(*resolved.element)) {
        w.line("::orb::cdr::encode_sequence(" + encoder + ", " + expr + ", " + bound + ");");
        return;
      }
      w.line(encoder + ".write_length(" + expr + ".size(), " + bound + ", \"sequence\");");
      w.open("for (const auto& " + depth_name("_orb_item", depth) + " : " + expr + ")");
      emit_encode(w, *resolved.element, encoder, depth_name("_orb_item", depth), depth + 1);
      w.close();
      return;
    default:
      encode_array(w, resolved, 0, encoder, expr, depth);
      return;
  }
}

void emit_decode(CodeWriter& w, const Type& type, const std::string& decoder,
                 const std::string& expr, int depth) {
  check_marshallable(type);
  const Type& resolved = resolve_alias(type);
  if (!needs_expansion(resolved)) {
    w.line("::orb::cdr::decode_into(" + decoder + ", " + expr + ");");
    return;
  }
  std::string bound = std::to_string(resolved.bound);
  switch (resolved.kind) {
    case TypeKind::string_type:
      w.line(expr + " = " + decoder + ".read_string(" + bound + ");");
      return;
    case TypeKind::wstring_type:
      w.line(expr + " = " + decoder + ".read_wstring(" + bound + ");");
      return;
    case TypeKind::sequence_type:
      if (!needs_expansion(*resolved.element)) {
        w.line("::orb::cdr::decode_sequence(" + decoder + ", " + expr + ", " + bound + ");");
        return;
      }
      decode_expanded_sequence(w, resolved, decoder, expr, depth);
      return;
    default:
      decode_array(w, resolved, 0, decoder, expr, depth);
      return;
  }
}

// ---------------------------------------------------------------------------
// TypeCodes

namespace {

bool type_reaches(const Type& type, const std::vector<const Decl*>& targets,
                  std::set<const Decl*>& visited);

// True when the TypeCode of `decl` contains one of `targets`, so it must be
// built inline (around a TypeCode::recursive) rather than by calling its
// own cached function, which would recurse into the function being run.
bool decl_reaches(const Decl& decl, const std::vector<const Decl*>& targets,
                  std::set<const Decl*>& visited) {
  if (!visited.insert(&decl).second) {
    return false;
  }
  auto members_reach = [&](const auto& members) {
    return std::any_of(members.begin(), members.end(), [&](const auto* member) {
      return type_reaches(*member->type, targets, visited);
    });
  };
  switch (decl.kind) {
    case DeclKind::structure:
      return members_reach(static_cast<const Struct&>(decl).members);
    case DeclKind::exception:
      return members_reach(static_cast<const Exception&>(decl).members);
    case DeclKind::union_type:
      return members_reach(static_cast<const Union&>(decl).branches);
    case DeclKind::alias:
      return type_reaches(*static_cast<const Alias&>(decl).type, targets, visited);
    default:
      return false;
  }
}

bool type_reaches(const Type& type, const std::vector<const Decl*>& targets,
                  std::set<const Decl*>& visited) {
  if (type.kind == TypeKind::sequence_type || type.kind == TypeKind::array_type) {
    return type_reaches(*type.element, targets, visited);
  }
  const Decl* decl = named_decl(type);
  if (decl == nullptr) {
    return false;
  }
  if (std::find(targets.begin(), targets.end(), decl) != targets.end()) {
    return true;
  }
  return decl_reaches(*decl, targets, visited);
}

std::string primitive_typecode(const Type& type) {
  switch (type.kind) {
    case TypeKind::string_type:
      return type.bound == 0 ? "::orb::TypeCodeOf<std::string>::get()"
                             : "::orb::TypeCode::string(" + std::to_string(type.bound) + ")";
    case TypeKind::wstring_type:
      return type.bound == 0 ? "::orb::TypeCodeOf<std::wstring>::get()"
                             : "::orb::TypeCode::wstring(" + std::to_string(type.bound) + ")";
    case TypeKind::object_type:
      return "::orb::TypeCodeOf<::orb::ObjectRef>::get()";
    case TypeKind::fixed_type:
      return "::orb::TypeCode::fixed(" + std::to_string(type.digits) + ", " +
             std::to_string(type.scale) + ")";
    case TypeKind::value_base_type:
      throw GeneratorError(type.location, "ValueBase is not supported by the C++ generator yet");
    default:
      return "::orb::TypeCodeOf<" + cxx_type(type) + ">::get()";
  }
}

std::string interface_typecode(const char* kind, const Decl& decl) {
  return std::string("::orb::TypeCode::interface(::orb::TCKind::") + kind + ", " +
         string_literal(decl.repository_id) + ", " + string_literal(decl.name) + ")";
}

// The TypeCode of a declaration of the built-in CORBA module, which has no
// generated TypeCode function.
std::string builtin_typecode(const Decl& decl, std::vector<const Decl*>& enclosing) {
  switch (decl.kind) {
    case DeclKind::interface:
      return interface_typecode("tk_objref", decl);
    case DeclKind::alias:
      return typecode_factory(decl, enclosing);
    default:
      return decl.name == "TypeCode" ? "::orb::TypeCode::basic(::orb::TCKind::tk_TypeCode)"
                                     : interface_typecode("tk_native", decl);
  }
}

}  // namespace

std::string typecode_function(const Decl& decl) {
  std::string scope;
  if (decl.enclosing != nullptr && decl.enclosing->owner != nullptr) {
    scope = qualified_name(*decl.enclosing->owner);
  }
  return scope + "::_orb_tc_" + decl.name + "()";
}

std::string typecode_expr(const Type& type, std::vector<const Decl*>& enclosing) {
  switch (type.kind) {
    case TypeKind::sequence_type: {
      std::string element = typecode_expr(*type.element, enclosing);
      return "::orb::TypeCode::sequence(" + element +
             (type.bound == 0 ? "" : ", " + std::to_string(type.bound)) + ")";
    }
    case TypeKind::array_type: {
      std::string out = typecode_expr(*type.element, enclosing);
      for (auto it = type.dimensions.rbegin(); it != type.dimensions.rend(); ++it) {
        out = "::orb::TypeCode::array(" + out + ", " + std::to_string(*it) + ")";
      }
      return out;
    }
    case TypeKind::named_type:
      break;
    default:
      return primitive_typecode(type);
  }
  const Decl* decl = named_decl(type);
  if (decl == nullptr) {
    throw GeneratorError(type.location, "unresolved type '" + type.name + "'");
  }
  if (std::find(enclosing.begin(), enclosing.end(), decl) != enclosing.end()) {
    return "::orb::TypeCode::recursive(" + string_literal(decl->repository_id) + ")";
  }
  if (decl->builtin) {
    return builtin_typecode(*decl, enclosing);
  }
  if (decl->kind == DeclKind::interface) {
    // Built in place: the interface may be only forward-declared here, with
    // its TypeCode function generated from another file.
    return typecode_factory(*decl, enclosing);
  }
  std::set<const Decl*> visited;
  if (!enclosing.empty() && decl_reaches(*decl, enclosing, visited)) {
    return typecode_factory(*decl, enclosing);
  }
  return typecode_function(*decl);
}

namespace {

std::vector<std::string> member_typecodes(const std::vector<Member*>& members,
                                          std::vector<const Decl*>& enclosing) {
  std::vector<std::string> items;
  for (const Member* member : members) {
    items.push_back("{" + string_literal(member->name) + ", " +
                    typecode_expr(*member->type, enclosing) + "}");
  }
  return items;
}

TypeCodeParts union_typecode(const Union& u, std::vector<const Decl*>& enclosing) {
  TypeCodeParts parts;
  int default_index = -1;
  for (const UnionBranch* branch : u.branches) {
    std::string type = typecode_expr(*branch->type, enclosing);
    for (const CaseLabel& label : branch->labels) {
      int64_t number = label.is_default ? 0 : label_number(label.value);
      if (label.is_default) {
        default_index = static_cast<int>(parts.items.size());
      }
      parts.items.push_back("{" + string_literal(branch->name) + ", " + type + ", " +
                            std::to_string(number) + "}");
    }
  }
  parts.call = "::orb::TypeCode::union_type(";
  parts.args = string_literal(u.repository_id) + ", " + string_literal(u.name) + ", " +
               typecode_expr(*u.discriminator, enclosing) + ", " + std::to_string(default_index);
  parts.has_list = true;
  return parts;
}

}  // namespace

std::string TypeCodeParts::joined() const {
  std::string out = call + args;
  if (has_list) {
    out += ", {";
    for (size_t i = 0; i < items.size(); ++i) {
      out += (i == 0 ? "" : ", ") + items[i];
    }
    out += "}";
  }
  return out + ")";
}

TypeCodeParts typecode_parts(const Decl& decl, std::vector<const Decl*>& enclosing) {
  std::string id_and_name = string_literal(decl.repository_id) + ", " + string_literal(decl.name);
  TypeCodeParts parts;
  parts.args = id_and_name;
  switch (decl.kind) {
    case DeclKind::structure:
    case DeclKind::exception: {
      enclosing.push_back(&decl);
      const auto& members = decl.kind == DeclKind::structure
                                ? static_cast<const Struct&>(decl).members
                                : static_cast<const Exception&>(decl).members;
      parts.items = member_typecodes(members, enclosing);
      enclosing.pop_back();
      parts.call = decl.kind == DeclKind::structure ? "::orb::TypeCode::structure("
                                                    : "::orb::TypeCode::exception(";
      parts.has_list = true;
      return parts;
    }
    case DeclKind::union_type:
      enclosing.push_back(&decl);
      parts = union_typecode(static_cast<const Union&>(decl), enclosing);
      enclosing.pop_back();
      return parts;
    case DeclKind::enumeration:
      for (const Enumerator* enumerator : static_cast<const Enum&>(decl).enumerators) {
        parts.items.push_back(string_literal(enumerator->name));
      }
      parts.call = "::orb::TypeCode::enumeration(";
      parts.has_list = true;
      return parts;
    case DeclKind::alias:
      parts.call = "::orb::TypeCode::alias(";
      parts.args += ", " + typecode_expr(*static_cast<const Alias&>(decl).type, enclosing);
      return parts;
    case DeclKind::interface: {
      const auto& interface = static_cast<const Interface&>(decl);
      const char* kind = interface.is_local      ? "tk_local_interface"
                         : interface.is_abstract ? "tk_abstract_interface"
                                                 : "tk_objref";
      parts.call = "::orb::TypeCode::interface(";
      parts.args = std::string("::orb::TCKind::") + kind + ", " + id_and_name;
      return parts;
    }
    default:
      parts.call = "::orb::TypeCode::interface(";
      parts.args = "::orb::TCKind::tk_native, " + id_and_name;
      return parts;
  }
}

std::string typecode_factory(const Decl& decl, std::vector<const Decl*>& enclosing) {
  return typecode_parts(decl, enclosing).joined();
}

}  // namespace orb::idl::gen
