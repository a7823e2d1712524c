// Repository-id computation. A #pragma prefix is anchored at the scope it
// appears in: the id joins the prefix with the names of the scopes between
// that anchor and the declaration. A typeprefix on a scope does the same for
// everything inside it that no nearer #pragma prefix covers.
#include <idl/repository_id.hpp>

#include <deque>

namespace orb::idl {
namespace {

bool has_repository_id(DeclKind kind) {
  switch (kind) {
    case DeclKind::parameter:
    case DeclKind::member:
    case DeclKind::enumerator:
      return false;
    default:
      return true;
  }
}

// A reopened module shares the settings of its first opening.
const Decl& canonical(const Decl& decl) {
  if (decl.kind == DeclKind::module) {
    const auto& module = static_cast<const Module&>(decl);
    if (module.scope != nullptr && module.scope->owner != nullptr) {
      return *module.scope->owner;
    }
  }
  return decl;
}

}  // namespace

std::string compute_repository_id(const Decl& original) {
  const Decl& decl = canonical(original);
  if (!decl.explicit_id.empty()) {
    return decl.explicit_id;
  }
  std::string prefix = decl.prefix;
  const Scope* anchor = decl.prefix_anchor;
  // The nearest typeprefix inside the #pragma prefix anchor wins.
  for (const Decl* cursor = &decl; cursor != nullptr;) {
    if (!cursor->type_prefix.empty()) {
      prefix = cursor->type_prefix;
      anchor = cursor->enclosing;
      break;
    }
    const Scope* enclosing = cursor->enclosing;
    if (enclosing == nullptr || enclosing == anchor || enclosing->owner == nullptr) {
      break;
    }
    cursor = enclosing->owner;
  }
  std::deque<std::string> names{decl.name};
  for (const Scope* scope = decl.enclosing; scope != nullptr && scope != anchor && scope->owner;
       scope = scope->parent) {
    names.push_front(scope->owner->name);
  }
  std::string id = "IDL:" + prefix;
  for (size_t i = 0; i < names.size(); ++i) {
    id += (i == 0 && prefix.empty() ? "" : "/") + names[i];
  }
  return id + ":" + (decl.version.empty() ? "1.0" : decl.version);
}

void assign_repository_ids(Specification& spec) {
  for (const auto& decl : spec.decls) {
    if (has_repository_id(decl->kind)) {
      decl->repository_id = compute_repository_id(*decl);
    }
  }
  // Forward declarations carry the id of what they declare.
  for (const auto& decl : spec.decls) {
    if (decl->kind == DeclKind::interface_forward) {
      decl->repository_id = static_cast<InterfaceForward&>(*decl).target->repository_id;
    } else if (decl->kind == DeclKind::structure_forward || decl->kind == DeclKind::union_forward) {
      decl->repository_id = static_cast<StructForward&>(*decl).target->repository_id;
    }
  }
}

}  // namespace orb::idl
