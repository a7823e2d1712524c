// Semantic checks of interfaces, operations, members and unions.
#include <idl/checks.hpp>

#include <idl/const_eval.hpp>

#include <algorithm>
#include <map>

namespace orb::idl {
namespace {

bool is_operation_or_attribute(const Decl* decl) {
  return decl->kind == DeclKind::operation || decl->kind == DeclKind::attribute;
}

// Every operation and attribute `interface` inherits, by lower-case name.
void collect_inherited(const Interface& interface, std::multimap<std::string, const Decl*>& out,
                       std::vector<const Interface*>& visited) {
  for (const Interface* base : interface.bases) {
    if (std::find(visited.begin(), visited.end(), base) != visited.end()) {
      continue;
    }
    visited.push_back(base);
    for (const auto& [lower, decl] : base->scope->symbols) {
      if (is_operation_or_attribute(decl)) {
        out.emplace(lower, decl);
      }
    }
    collect_inherited(*base, out, visited);
  }
}

}  // namespace

bool check_base(const Interface& derived, const Interface* base, const Decl* decl,
                const SourceLocation& location, Diagnostics& diagnostics) {
  const std::string name = "'" + decl->scoped_name() + "'";
  if (base == nullptr) {
    diagnostics.error(location, name + " is not an interface",
                      {{decl->location, name + " is declared here"}});
    return false;
  }
  if (base == &derived) {
    diagnostics.error(location, "interface '" + derived.name + "' cannot inherit from itself");
    return false;
  }
  if (!base->defined) {
    diagnostics.error(location, "base interface " + name + " is only forward-declared",
                      {{base->forward_location, "forward declaration is here"}});
    return false;
  }
  if (std::find(derived.bases.begin(), derived.bases.end(), base) != derived.bases.end()) {
    diagnostics.error(location, name + " is listed twice as a base of '" + derived.name + "'");
    return false;
  }
  if (derived.is_abstract && !base->is_abstract) {
    diagnostics.error(location, "abstract interface '" + derived.name +
                                    "' can only inherit from abstract interfaces, and " + name +
                                    " is not abstract");
    return false;
  }
  if (!derived.is_local && base->is_local) {
    diagnostics.error(location, "interface '" + derived.name +
                                    "' cannot inherit from local interface " + name +
                                    "; declare it local");
    return false;
  }
  return true;
}

void check_inheritance(const Interface& interface, Diagnostics& diagnostics) {
  std::multimap<std::string, const Decl*> inherited;
  std::vector<const Interface*> visited;
  collect_inherited(interface, inherited, visited);
  for (auto it = inherited.begin(); it != inherited.end();) {
    auto end = inherited.upper_bound(it->first);
    const Decl* first = it->second;
    for (auto other = std::next(it); other != end; ++other) {
      if (other->second == first) {
        continue;
      }
      const Decl* second = other->second;
      diagnostics.error(interface.location,
                        "interface '" + interface.name + "' inherits '" + first->name +
                            "' from both '" + first->enclosing->owner->scoped_name() + "' and '" +
                            second->enclosing->owner->scoped_name() + "'",
                        {{first->location, "'" + first->scoped_name() + "' is declared here"},
                         {second->location, "'" + second->scoped_name() + "' is declared here"}});
      break;
    }
    it = end;
  }
}

bool check_not_inherited(const Interface& interface, const Decl& decl, const NameTable& names,
                         Diagnostics& diagnostics) {
  std::string lower = lowercase(decl.name);
  for (const Interface* base : interface.bases) {
    for (const Decl* found : names.find_in(base->scope, lower)) {
      if (is_operation_or_attribute(found)) {
        diagnostics.error(decl.location,
                          std::string(describe(decl.kind)) + " '" + decl.name + "' redefines the " +
                              describe(found->kind) + " inherited from '" +
                              found->enclosing->owner->scoped_name() + "'",
                          {{found->location, "'" + found->scoped_name() + "' is declared here"}});
        return false;
      }
    }
  }
  return true;
}

void check_operation(const Operation& operation, Diagnostics& diagnostics) {
  if (!operation.oneway) {
    return;
  }
  const std::string name = "oneway operation '" + operation.name + "'";
  if (operation.result && operation.result->kind != TypeKind::void_type) {
    diagnostics.error(operation.result->location,
                      name + " must return void, not '" + describe(*operation.result) + "'");
  }
  for (const Parameter* parameter : operation.parameters) {
    if (parameter->direction != ParamDirection::in) {
      diagnostics.error(parameter->location,
                        name + " can only have 'in' parameters, and '" + parameter->name + "' is " +
                            (parameter->direction == ParamDirection::out ? "'out'" : "'inout'"));
    }
  }
  if (!operation.raises.empty()) {
    diagnostics.error(operation.location, name + " cannot raise user exceptions");
  }
}

namespace {

// Finds a struct or union inside `type` that is not complete yet, looking
// through typedefs and arrays but not into sequences.
const ScopeDecl* incomplete_part(const Type& type) {
  const Type& resolved = resolve_alias(type);
  if (resolved.kind == TypeKind::array_type) {
    return incomplete_part(*resolved.element);
  }
  if (resolved.kind != TypeKind::named_type || resolved.decl == nullptr) {
    return nullptr;
  }
  if (resolved.decl->kind == DeclKind::structure) {
    const auto* s = static_cast<const Struct*>(resolved.decl);
    return s->defined ? nullptr : s;
  }
  if (resolved.decl->kind == DeclKind::union_type) {
    const auto* u = static_cast<const Union*>(resolved.decl);
    return u->defined ? nullptr : u;
  }
  return nullptr;
}

SourceLocation forward_location_of(const ScopeDecl* decl) {
  return decl->kind == DeclKind::structure ? static_cast<const Struct*>(decl)->forward_location
                                           : static_cast<const Union*>(decl)->forward_location;
}

}  // namespace

void check_complete(const Member& member, Diagnostics& diagnostics) {
  const ScopeDecl* incomplete = incomplete_part(*member.type);
  if (incomplete == nullptr) {
    return;
  }
  std::string name = "'" + incomplete->scoped_name() + "'";
  std::string message = "member '" + member.name + "' has incomplete type " + name;
  bool recursive = false;
  for (const Scope* scope = member.enclosing; scope != nullptr; scope = scope->parent) {
    recursive = recursive || scope->owner == incomplete;
  }
  if (recursive) {
    diagnostics.error(member.location,
                      message + "; a type can contain itself only through a sequence",
                      {{incomplete->location, name + " is being defined here"}});
  } else {
    diagnostics.error(member.location, message,
                      {{forward_location_of(incomplete), name + " is only forward-declared here"}});
  }
}

bool is_valid_discriminator(const Type& resolved) {
  if (is_integer(resolved.kind)) {
    return true;
  }
  switch (resolved.kind) {
    case TypeKind::char_type:
    case TypeKind::wchar_type:
    case TypeKind::boolean_type:
      return true;
    case TypeKind::named_type:
      return resolved.decl != nullptr && resolved.decl->kind == DeclKind::enumeration;
    default:
      return false;
  }
}

namespace {

// The number of values a discriminator type has, or 0 when it is too many to matter.
uint64_t domain_size(const Type& resolved) {
  switch (resolved.kind) {
    case TypeKind::boolean_type:
      return 2;
    case TypeKind::char_type:
      return 256;
    case TypeKind::short_type:
    case TypeKind::unsigned_short_type:
    case TypeKind::wchar_type:
      return 65536;
    case TypeKind::named_type:
      return static_cast<const Enum*>(resolved.decl)->enumerators.size();
    default:
      return 0;
  }
}

Int128 label_key(const ConstValue& value) {
  switch (value.kind) {
    case ConstKind::integer:
      return value.integer;
    case ConstKind::character:
    case ConstKind::wide_character:
      return value.character;
    case ConstKind::boolean:
      return value.boolean ? 1 : 0;
    case ConstKind::enumerator:
      return value.enumerator->value;
    default:
      return -1;
  }
}

}  // namespace

void check_union(const Union& u, Diagnostics& diagnostics) {
  std::map<Int128, const CaseLabel*> seen;
  const CaseLabel* default_label = nullptr;
  for (const UnionBranch* branch : u.branches) {
    for (const CaseLabel& label : branch->labels) {
      if (label.is_default) {
        if (default_label != nullptr) {
          diagnostics.error(label.location,
                            "union '" + u.name + "' has more than one default label",
                            {{default_label->location, "first default label is here"}});
        }
        default_label = default_label != nullptr ? default_label : &label;
        continue;
      }
      if (label.value.kind == ConstKind::none) {
        continue;  // its evaluation failed and was reported
      }
      auto [it, inserted] = seen.emplace(label_key(label.value), &label);
      if (!inserted) {
        diagnostics.error(
            label.location,
            "duplicate case label " + describe(label.value) + " in union '" + u.name + "'",
            {{it->second->location, "previous case label is here"}});
      }
    }
  }
  const Type& discriminator = resolve_alias(*u.discriminator);
  uint64_t domain = is_valid_discriminator(discriminator) ? domain_size(discriminator) : 0;
  if (default_label != nullptr && domain != 0 && seen.size() >= domain) {
    diagnostics.error(default_label->location,
                      "default label of union '" + u.name +
                          "' can never be selected: the case labels cover every value of '" +
                          describe(*u.discriminator) + "'");
  }
}

void check_forward_declarations(const Specification& spec, Diagnostics& diagnostics) {
  for (const auto& decl : spec.decls) {
    if (decl->kind != DeclKind::structure && decl->kind != DeclKind::union_type) {
      continue;
    }
    const auto* scope_decl = static_cast<const ScopeDecl*>(decl.get());
    bool defined = decl->kind == DeclKind::structure
                       ? static_cast<const Struct*>(scope_decl)->defined
                       : static_cast<const Union*>(scope_decl)->defined;
    if (!defined) {
      diagnostics.error(decl->location, std::string(describe(decl->kind)) + " '" +
                                            decl->scoped_name() +
                                            "' is forward-declared but never defined");
    }
  }
}

}  // namespace orb::idl
