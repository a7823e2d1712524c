// Declaring and looking up names in IDL scopes, with the rules of CORBA 3
// IDL: names that differ only in case collide, a name used in a scope may not
// be redeclared there with another meaning, interfaces see the names of
// their bases, and a name found in two bases is ambiguous.
#pragma once

#include <idl/ast.hpp>
#include <idl/diagnostics.hpp>

#include <string>
#include <vector>

namespace orb::idl {

/// A possibly qualified name as written: `A::B`, `::A::B`.
struct ScopedName {
  bool absolute = false;
  std::vector<std::string> parts;
  std::vector<SourceLocation> locations;  ///< one per part
  SourceLocation location;                ///< of the first token

  /// The name as written, such as "::A::B".
  std::string text() const;
};

/// Returns `text` in lower case.
std::string lowercase(const std::string& text);

class NameTable {
 public:
  explicit NameTable(Diagnostics& diagnostics) : diagnostics_(diagnostics) {}

  /// Adds `decl` to `scope`, reporting a redefinition, a case-only clash or
  /// a clash with an earlier use. Returns false (and leaves the scope as it
  /// was) after an error.
  bool declare(Scope* scope, Decl* decl);

  /// Resolves `name` as seen from `from`. Reports undefined and ambiguous
  /// names and returns nullptr for them. With `record_use`, the first part
  /// of a relative name is recorded as used in each scope between `from`
  /// and the scope it was found in.
  Decl* lookup(Scope* from, const ScopedName& name, bool record_use = true);

  /// The declarations named `lower` directly in `scope` or, for an
  /// interface, inherited from its bases, without duplicates.
  std::vector<Decl*> find_in(const Scope* scope, const std::string& lower) const;

 private:
  Decl* find_first(Scope* from, const ScopedName& name, Scope*& found_in);
  Decl* pick(const std::vector<Decl*>& found, const std::string& spelling,
             const SourceLocation& location);
  void record_use(Scope* from, Scope* found_in, const ScopedName& name, Decl* decl);
  void find_inherited(const Scope* scope, const std::string& lower, std::vector<Decl*>& found,
                      std::vector<const Scope*>& visited) const;

  Diagnostics& diagnostics_;
};

/// The scope that a declaration opens, or nullptr.
Scope* scope_of(Decl* decl);

}  // namespace orb::idl
