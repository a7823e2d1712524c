// Evaluation of IDL constant expressions: 64-bit integer arithmetic checked
// for overflow, floating point, fixed point, characters, strings, booleans
// and enumerators, and the conversion of a value to the declared type of a
// constant, a bound or a union label with its range check.
#pragma once

#include <idl/ast.hpp>
#include <idl/diagnostics.hpp>

#include <optional>
#include <string>

namespace orb::idl {

/// Evaluates `expr` without a target type. Reports errors and returns
/// nullopt for them (also when a referenced constant had an error).
std::optional<ConstValue> evaluate_value(const Expr& expr, Diagnostics& diagnostics);

/// Evaluates `expr` as a value of `target`, reporting a value of the wrong
/// kind or out of the type's range.
std::optional<ConstValue> evaluate_constant(const Expr& expr, const Type& target,
                                            Diagnostics& diagnostics);

/// A fixed-point value from its significant digits and scale.
ConstValue fixed_from_digits(const std::string& digits, uint32_t scale);

/// The value as IDL would spell it: 42, 'a', "text", TRUE, 1.5d, red.
std::string describe(const ConstValue& value);

/// Formats a 128-bit integer in decimal.
std::string to_string(Int128 value);

/// True for types a constant can have (after typedefs are followed).
bool is_valid_const_type(const Type& resolved);

}  // namespace orb::idl
