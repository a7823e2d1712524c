// Semantic checks that the parser runs when a construct is complete:
// interface inheritance, oneway operations, complete member types, union
// discriminators and labels, and definitions that forward declarations
// promise.
#pragma once

#include <idl/ast.hpp>
#include <idl/diagnostics.hpp>
#include <idl/names.hpp>

namespace orb::idl {

/// Checks that `decl`, named at `location` in the base list of `derived`,
/// can be a base of it. `base` is `decl` when it is an interface.
bool check_base(const Interface& derived, const Interface* base, const Decl* decl,
                const SourceLocation& location, Diagnostics& diagnostics);

/// Reports operations and attributes that `interface` inherits under one
/// name from two different bases.
void check_inheritance(const Interface& interface, Diagnostics& diagnostics);

/// Reports an operation or attribute that reuses the name of one inherited
/// by `interface`; returns false then.
bool check_not_inherited(const Interface& interface, const Decl& decl, const NameTable& names,
                         Diagnostics& diagnostics);

/// A oneway operation returns void and has no out or inout parameters and
/// no raises clause.
void check_operation(const Operation& operation, Diagnostics& diagnostics);

/// Reports a member whose type is a struct or union that is not yet
/// complete (only forward-declared, or still being defined), unless it is
/// reached through a sequence.
void check_complete(const Member& member, Diagnostics& diagnostics);

/// Reports duplicate labels, more than one default, and a default that no
/// discriminator value can select.
void check_union(const Union& u, Diagnostics& diagnostics);

/// True for integer, char, wchar, boolean and enum types.
bool is_valid_discriminator(const Type& resolved);

/// Reports structs and unions that were forward-declared but never defined.
void check_forward_declarations(const Specification& spec, Diagnostics& diagnostics);

}  // namespace orb::idl
