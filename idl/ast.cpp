// Helpers over the IDL syntax tree: qualified names and type descriptions.
#include <idl/ast.hpp>

namespace orb::idl {

std::string Decl::scoped_name() const {
  std::string out = "::" + name;
  for (const Scope* scope = enclosing; scope != nullptr && scope->owner != nullptr;
       scope = scope->parent) {
    out = "::" + scope->owner->name + out;
  }
  return out;
}

Scope* Specification::make_scope(Scope* parent, ScopeDecl* owner) {
  scopes.push_back(std::make_unique<Scope>());
  Scope* scope = scopes.back().get();
  scope->parent = parent;
  scope->owner = owner;
  return scope;
}

const Type& resolve_alias(const Type& type) {
  const Type* current = &type;
  // A typedef cannot name itself, so the chain ends; the bound guards against a bug.
  for (int depth = 0; depth < 1000 && current->kind == TypeKind::named_type &&
                      current->decl != nullptr && current->decl->kind == DeclKind::alias;
       ++depth) {
    current = static_cast<const Alias*>(current->decl)->type.get();
  }
  return *current;
}

bool is_integer(TypeKind kind) {
  switch (kind) {
    case TypeKind::short_type:
    case TypeKind::long_type:
    case TypeKind::long_long_type:
    case TypeKind::unsigned_short_type:
    case TypeKind::unsigned_long_type:
    case TypeKind::unsigned_long_long_type:
      return true;
    default:
      return false;
  }
}

namespace {

const char* primitive_name(TypeKind kind) {
  switch (kind) {
    case TypeKind::void_type:
      return "void";
    case TypeKind::short_type:
      return "short";
    case TypeKind::long_type:
      return "long";
    case TypeKind::long_long_type:
      return "long long";
    case TypeKind::unsigned_short_type:
      return "unsigned short";
    case TypeKind::unsigned_long_type:
      return "unsigned long";
    case TypeKind::unsigned_long_long_type:
      return "unsigned long long";
    case TypeKind::float_type:
      return "float";
    case TypeKind::double_type:
      return "double";
    case TypeKind::long_double_type:
      return "long double";
    case TypeKind::char_type:
      return "char";
    case TypeKind::wchar_type:
      return "wchar";
    case TypeKind::boolean_type:
      return "boolean";
    case TypeKind::octet_type:
      return "octet";
    case TypeKind::any_type:
      return "any";
    case TypeKind::object_type:
      return "Object";
    case TypeKind::value_base_type:
      return "ValueBase";
    default:
      return nullptr;
  }
}

std::string bound_suffix(uint64_t bound) {
  return bound == 0 ? std::string() : "<" + std::to_string(bound) + ">";
}

}  // namespace

std::string describe(const Type& type) {
  if (const char* name = primitive_name(type.kind)) {
    return name;
  }
  switch (type.kind) {
    case TypeKind::string_type:
      return "string" + bound_suffix(type.bound);
    case TypeKind::wstring_type:
      return "wstring" + bound_suffix(type.bound);
    case TypeKind::fixed_type:
      return "fixed<" + std::to_string(type.digits) + ", " + std::to_string(type.scale) + ">";
    case TypeKind::sequence_type:
      return "sequence<" + describe(*type.element) +
             (type.bound == 0 ? "" : ", " + std::to_string(type.bound)) + ">";
    case TypeKind::array_type: {
      std::string out = describe(*type.element);
      for (uint64_t dimension : type.dimensions) {
        out += "[" + std::to_string(dimension) + "]";
      }
      return out;
    }
    default:
      return type.decl != nullptr ? type.decl->scoped_name() : type.name;
  }
}

const char* describe(DeclKind kind) {
  switch (kind) {
    case DeclKind::module:
      return "module";
    case DeclKind::interface:
    case DeclKind::interface_forward:
      return "interface";
    case DeclKind::structure:
    case DeclKind::structure_forward:
      return "struct";
    case DeclKind::union_type:
    case DeclKind::union_forward:
      return "union";
    case DeclKind::enumeration:
      return "enum";
    case DeclKind::enumerator:
      return "enumerator";
    case DeclKind::alias:
      return "typedef";
    case DeclKind::constant:
      return "constant";
    case DeclKind::exception:
      return "exception";
    case DeclKind::native:
      return "native type";
    case DeclKind::operation:
      return "operation";
    case DeclKind::parameter:
      return "parameter";
    case DeclKind::attribute:
      return "attribute";
    case DeclKind::member:
      return "member";
    case DeclKind::unsupported:
      return "unsupported declaration";
  }
  return "declaration";
}

}  // namespace orb::idl
