// Integer expressions of #if and #elif, after `defined` and macro expansion
// have been applied. Unknown identifiers count as 0, as in C.
#pragma once

#include <idl/diagnostics.hpp>
#include <idl/token.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace orb::idl {

/// Evaluates a preprocessor expression with C precedence and 64-bit signed
/// arithmetic. Returns nullopt after reporting an error; `directive` is the
/// location of the directive, used when the expression is empty or truncated.
std::optional<int64_t> evaluate_pp_expression(const std::vector<Token>& tokens,
                                              const SourceLocation& directive,
                                              Diagnostics& diagnostics);

}  // namespace orb::idl
