// The IDL lexer: turns preprocessed tokens into IDL tokens. Identifiers
// become keywords or names (a leading '_' escapes a name), numbers become
// integer, floating or fixed-point literals with their values, character and
// string literals are decoded, and adjacent string literals are joined.
#pragma once

#include <idl/diagnostics.hpp>
#include <idl/token.hpp>

#include <string_view>
#include <vector>

namespace orb::idl {

/// Classifies and decodes `tokens` in place order; invalid literals and
/// identifiers that clash with keywords are reported to `diagnostics`.
std::vector<Token> lex(std::vector<Token> tokens, Diagnostics& diagnostics);

/// True when `word` is a keyword of CORBA 3 IDL, spelled exactly.
bool is_keyword(std::string_view word);

}  // namespace orb::idl
