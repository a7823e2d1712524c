// Scope rules of IDL: declaration, lookup, inheritance and introduced names.
#include <idl/names.hpp>

#include <algorithm>
#include <cctype>

namespace orb::idl {

std::string ScopedName::text() const {
  std::string out = absolute ? "::" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    out += (i == 0 ? "" : "::") + parts[i];
  }
  return out;
}

std::string lowercase(const std::string& text) {
  std::string out = text;
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Scope* scope_of(Decl* decl) {
  switch (decl->kind) {
    case DeclKind::module:
    case DeclKind::interface:
    case DeclKind::structure:
    case DeclKind::union_type:
    case DeclKind::exception:
    case DeclKind::operation:
      return static_cast<ScopeDecl*>(decl)->scope;
    default:
      return nullptr;
  }
}

bool NameTable::declare(Scope* scope, Decl* decl) {
  std::string lower = lowercase(decl->name);
  auto existing = scope->symbols.find(lower);
  if (existing != scope->symbols.end() && existing->second->builtin) {
    scope->symbols.erase(existing);
    existing = scope->symbols.end();
  }
  if (existing != scope->symbols.end()) {
    Decl* previous = existing->second;
    if (previous->name != decl->name) {
      diagnostics_.error(decl->location,
                         "'" + decl->name + "' differs only in case from '" + previous->name + "'",
                         {{previous->location, "'" + previous->name + "' declared here"}});
    } else {
      diagnostics_.error(
          decl->location, "redefinition of '" + decl->name + "'",
          {{previous->location, "previous definition of '" + decl->name + "' is here"}});
    }
    return false;
  }
  // A scope's own name may not be reused inside it. The OMG's Security IDL
  // has `struct Right { string right; }`, so a case-only clash is a warning.
  ScopeDecl* owner = scope->owner;
  if (owner != nullptr && owner->kind != DeclKind::operation && lowercase(owner->name) == lower) {
    std::string message = "'" + decl->name + "' clashes with the name of the enclosing " +
                          describe(owner->kind) + " '" + owner->name + "'";
    std::vector<Note> notes = {{owner->location, "'" + owner->name + "' declared here"}};
    if (owner->name == decl->name) {
      diagnostics_.error(decl->location, std::move(message), std::move(notes));
      return false;
    }
    diagnostics_.warning(decl->location, std::move(message), std::move(notes));
  }
  auto use = scope->uses.find(lower);
  if (use != scope->uses.end() && use->second.decl != decl) {
    const Scope::Use& earlier = use->second;
    diagnostics_.error(
        decl->location,
        "declaration of '" + decl->name + "' changes the meaning of '" + earlier.spelling + "'",
        {{earlier.location, "'" + earlier.spelling + "' was used here to mean '" +
                                earlier.decl->scoped_name() + "'"}});
    return false;
  }
  decl->enclosing = scope;
  scope->symbols.emplace(lower, decl);
  return true;
}

void NameTable::find_inherited(const Scope* scope, const std::string& lower,
                               std::vector<Decl*>& found,
                               std::vector<const Scope*>& visited) const {
  if (std::find(visited.begin(), visited.end(), scope) != visited.end()) {
    return;
  }
  visited.push_back(scope);
  auto direct = scope->symbols.find(lower);
  if (direct != scope->symbols.end()) {
    if (std::find(found.begin(), found.end(), direct->second) == found.end()) {
      found.push_back(direct->second);
    }
    return;
  }
  if (scope->owner == nullptr || scope->owner->kind != DeclKind::interface) {
    return;
  }
  for (Interface* base : static_cast<Interface*>(scope->owner)->bases) {
    find_inherited(base->scope, lower, found, visited);
  }
}

std::vector<Decl*> NameTable::find_in(const Scope* scope, const std::string& lower) const {
  std::vector<Decl*> found;
  std::vector<const Scope*> visited;
  find_inherited(scope, lower, found, visited);
  return found;
}

// Chooses the one declaration found, reporting ambiguity and case mismatch.
Decl* NameTable::pick(const std::vector<Decl*>& found, const std::string& spelling,
                      const SourceLocation& location) {
  if (found.size() > 1) {
    std::vector<Note> notes;
    for (Decl* candidate : found) {
      notes.push_back({candidate->location, "candidate: '" + candidate->scoped_name() + "'"});
    }
    diagnostics_.error(location, "reference to '" + spelling + "' is ambiguous", std::move(notes));
    return nullptr;
  }
  Decl* decl = found.front();
  if (decl->name != spelling) {
    diagnostics_.error(location,
                       "'" + spelling + "' differs only in case from '" + decl->name + "'",
                       {{decl->location, "'" + decl->name + "' declared here"}});
    return nullptr;
  }
  return decl;
}

// Finds the first part of a name, searching outward from `from`.
Decl* NameTable::find_first(Scope* from, const ScopedName& name, Scope*& found_in) {
  std::string lower = lowercase(name.parts.front());
  for (Scope* scope = from; scope != nullptr; scope = scope->parent) {
    std::vector<Decl*> found = find_in(scope, lower);
    if (!found.empty()) {
      found_in = scope;
      return pick(found, name.parts.front(), name.locations.front());
    }
    if (name.absolute) {
      break;
    }
  }
  diagnostics_.error(name.locations.front(),
                     "'" + name.parts.front() + "' was not declared in this scope");
  return nullptr;
}

void NameTable::record_use(Scope* from, Scope* found_in, const ScopedName& name, Decl* decl) {
  std::string lower = lowercase(name.parts.front());
  for (Scope* scope = from; scope != nullptr && scope != found_in; scope = scope->parent) {
    scope->uses.emplace(lower, Scope::Use{name.parts.front(), decl, name.locations.front()});
  }
}

Decl* NameTable::lookup(Scope* from, const ScopedName& name, bool record) {
  Scope* start = from;
  if (name.absolute) {
    while (start->parent != nullptr) {
      start = start->parent;
    }
  }
  Scope* found_in = nullptr;
  Decl* decl = find_first(start, name, found_in);
  if (decl == nullptr) {
    return nullptr;
  }
  if (record && !name.absolute) {
    record_use(from, found_in, name, decl);
  }
  for (size_t i = 1; i < name.parts.size(); ++i) {
    Scope* inner = scope_of(decl);
    std::vector<Decl*> found;
    if (inner != nullptr) {
      found = find_in(inner, lowercase(name.parts[i]));
    }
    if (found.empty()) {
      diagnostics_.error(name.locations[i], "'" + name.parts[i] + "' is not a member of '" +
                                                decl->scoped_name() + "'");
      return nullptr;
    }
    decl = pick(found, name.parts[i], name.locations[i]);
    if (decl == nullptr) {
      return nullptr;
    }
  }
  return decl;
}

}  // namespace orb::idl
