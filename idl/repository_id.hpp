// Repository ids of IDL declarations: `IDL:prefix/Scope/Name:major.minor`,
// following #pragma prefix (scoped to its module and file), #pragma version,
// #pragma ID, typeprefix and typeid.
#pragma once

#include <idl/ast.hpp>

#include <string>

namespace orb::idl {

/// Computes the repository id of one declaration from what the parser
/// recorded on it and on its enclosing scopes.
std::string compute_repository_id(const Decl& decl);

/// Sets Decl::repository_id on every declaration that has one: modules,
/// interfaces, types, exceptions, constants, operations and attributes.
void assign_repository_ids(Specification& spec);

}  // namespace orb::idl
