// The constant-expression evaluator. Integer results live in Int128 and are
// checked after every step against the union of the signed and unsigned
// 64-bit ranges, so no IDL integer expression can overflow silently.
#include <idl/const_eval.hpp>

#include <cfloat>
#include <cstdio>

namespace orb::idl {
namespace {

constexpr Int128 kMinInteger = -(static_cast<Int128>(1) << 63);
constexpr Int128 kMaxInteger = (static_cast<Int128>(1) << 64) - 1;
constexpr uint32_t kMaxFixedDigits = 31;
constexpr uint32_t kInt128Digits = 37;  // every 37-digit decimal fits in Int128

struct IntegerRange {
  Int128 min;
  Int128 max;
};

std::optional<IntegerRange> range_of(TypeKind kind) {
  switch (kind) {
    case TypeKind::short_type:
      return IntegerRange{INT16_MIN, INT16_MAX};
    case TypeKind::unsigned_short_type:
      return IntegerRange{0, UINT16_MAX};
    case TypeKind::long_type:
      return IntegerRange{INT32_MIN, INT32_MAX};
    case TypeKind::unsigned_long_type:
      return IntegerRange{0, UINT32_MAX};
    case TypeKind::long_long_type:
      return IntegerRange{INT64_MIN, INT64_MAX};
    case TypeKind::unsigned_long_long_type:
      return IntegerRange{0, kMaxInteger};
    case TypeKind::octet_type:
      return IntegerRange{0, UINT8_MAX};
    default:
      return std::nullopt;
  }
}

Int128 power_of_ten(uint32_t exponent) {
  Int128 result = 1;
  for (uint32_t i = 0; i < exponent; ++i) {
    result *= 10;
  }
  return result;
}

uint32_t digit_count(Int128 value) {
  uint32_t count = 1;
  for (value = value < 0 ? -value : value; value >= 10; value /= 10) {
    ++count;
  }
  return count;
}

// Strips trailing zeros after the point.
ConstValue normalize_fixed(ConstValue value) {
  while (value.scale > 0 && value.integer % 10 == 0) {
    value.integer /= 10;
    --value.scale;
  }
  return value;
}

const char* kind_phrase(ConstKind kind) {
  switch (kind) {
    case ConstKind::integer:
      return "an integer";
    case ConstKind::floating:
      return "a floating-point value";
    case ConstKind::fixed:
      return "a fixed-point value";
    case ConstKind::character:
      return "a character";
    case ConstKind::wide_character:
      return "a wide character";
    case ConstKind::boolean:
      return "a boolean";
    case ConstKind::string:
      return "a string";
    case ConstKind::wide_string:
      return "a wide string";
    case ConstKind::enumerator:
      return "an enumerator";
    case ConstKind::none:
      break;
  }
  return "a value";
}

class Evaluator {
 public:
  Evaluator(Diagnostics& diagnostics, const Type* target)
      : diagnostics_(diagnostics), target_(target) {}

  std::optional<ConstValue> eval(const Expr& expr);
  std::optional<ConstValue> convert(ConstValue value, const SourceLocation& location);

 private:
  std::optional<ConstValue> name(const Expr& expr);
  std::optional<ConstValue> unary(const Expr& expr);
  std::optional<ConstValue> binary(const Expr& expr);
  std::optional<ConstValue> integer_op(const Expr& expr, Int128 left, Int128 right);
  std::optional<ConstValue> floating_op(const Expr& expr, long double left, long double right);
  std::optional<ConstValue> fixed_op(const Expr& expr, ConstValue left, ConstValue right);
  std::optional<ConstValue> checked_integer(Int128 value, const SourceLocation& location);
  std::optional<ConstValue> fail(const SourceLocation& location, const std::string& message) {
    diagnostics_.error(location, message);
    return std::nullopt;
  }
  std::optional<ConstValue> convert_integer(ConstValue value, const IntegerRange& range,
                                            const SourceLocation& location);
  std::optional<ConstValue> convert_fixed(ConstValue value, const SourceLocation& location);
  std::optional<ConstValue> convert_string(ConstValue value, const SourceLocation& location);
  std::optional<ConstValue> mismatch(const ConstValue& value, const SourceLocation& location);

  Diagnostics& diagnostics_;
  const Type* target_;  // resolved target type, or nullptr
};

std::optional<ConstValue> Evaluator::eval(const Expr& expr) {
  switch (expr.kind) {
    case Expr::Kind::literal:
      return expr.literal;
    case Expr::Kind::name:
      return name(expr);
    case Expr::Kind::unary:
      return unary(expr);
    case Expr::Kind::binary:
      return binary(expr);
  }
  return std::nullopt;
}

std::optional<ConstValue> Evaluator::name(const Expr& expr) {
  if (expr.decl == nullptr) {
    return std::nullopt;  // the lookup failed and was reported
  }
  if (expr.decl->kind == DeclKind::enumerator) {
    ConstValue value;
    value.kind = ConstKind::enumerator;
    value.enumerator = static_cast<const Enumerator*>(expr.decl);
    return value;
  }
  const auto* constant = static_cast<const Constant*>(expr.decl);
  if (constant->value.kind == ConstKind::none) {
    return std::nullopt;  // its own definition had an error
  }
  return constant->value;
}

std::optional<ConstValue> Evaluator::checked_integer(Int128 value, const SourceLocation& location) {
  if (value < kMinInteger || value > kMaxInteger) {
    return fail(location, "integer overflow in constant expression: " + to_string(value) +
                              " is outside the 64-bit range");
  }
  ConstValue result;
  result.kind = ConstKind::integer;
  result.integer = value;
  return result;
}

std::optional<ConstValue> Evaluator::unary(const Expr& expr) {
  std::optional<ConstValue> operand = eval(*expr.left);
  if (!operand) {
    return std::nullopt;
  }
  ConstValue value = *operand;
  if (expr.op == "+" && (value.kind == ConstKind::integer || value.kind == ConstKind::floating ||
                         value.kind == ConstKind::fixed)) {
    return value;
  }
  if (expr.op == "-" && (value.kind == ConstKind::integer || value.kind == ConstKind::fixed)) {
    value.integer = -value.integer;
    return value.kind == ConstKind::integer ? checked_integer(value.integer, expr.location) : value;
  }
  if (expr.op == "-" && value.kind == ConstKind::floating) {
    value.floating = -value.floating;
    return value;
  }
  if (expr.op == "~" && value.kind == ConstKind::integer) {
    // In an unsigned target, ~x flips the bits of that width: ~0 is its maximum.
    std::optional<IntegerRange> range = target_ ? range_of(target_->kind) : std::nullopt;
    if (range && range->min == 0 && value.integer >= 0 && value.integer <= range->max) {
      return checked_integer(range->max - value.integer, expr.location);
    }
    return checked_integer(-value.integer - 1, expr.location);
  }
  return fail(expr.location,
              "unary '" + expr.op + "' cannot be applied to " + kind_phrase(value.kind));
}

std::optional<ConstValue> Evaluator::binary(const Expr& expr) {
  std::optional<ConstValue> left = eval(*expr.left);
  std::optional<ConstValue> right = eval(*expr.right);
  if (!left || !right) {
    return std::nullopt;
  }
  ConstKind l = left->kind;
  ConstKind r = right->kind;
  if (l == ConstKind::integer && r == ConstKind::integer) {
    return integer_op(expr, left->integer, right->integer);
  }
  bool numeric_l = l == ConstKind::integer || l == ConstKind::floating || l == ConstKind::fixed;
  bool numeric_r = r == ConstKind::integer || r == ConstKind::floating || r == ConstKind::fixed;
  bool arithmetic = expr.op == "+" || expr.op == "-" || expr.op == "*" || expr.op == "/";
  if (numeric_l && numeric_r && arithmetic &&
      (l == ConstKind::floating || r == ConstKind::floating)) {
    auto as_floating = [](const ConstValue& v) {
      return v.kind == ConstKind::floating ? v.floating
                                           : static_cast<long double>(v.integer) /
                                                 static_cast<long double>(power_of_ten(
                                                     v.kind == ConstKind::fixed ? v.scale : 0));
    };
    return floating_op(expr, as_floating(*left), as_floating(*right));
  }
  if (numeric_l && numeric_r && arithmetic) {
    return fixed_op(expr, *left, *right);
  }
  return fail(expr.location, "operator '" + expr.op + "' cannot be applied to " + kind_phrase(l) +
                                 " and " + kind_phrase(r));
}

std::optional<ConstValue> Evaluator::integer_op(const Expr& expr, Int128 left, Int128 right) {
  const std::string& op = expr.op;
  if ((op == "/" || op == "%") && right == 0) {
    return fail(expr.location, "division by zero in constant expression");
  }
  if ((op == "<<" || op == ">>") && (right < 0 || right > 63)) {
    return fail(expr.location, "shift count " + to_string(right) + " is outside 0 to 63");
  }
  if (op == "*" && left != 0 && right != 0) {
    Int128 limit = kMaxInteger / (right < 0 ? -right : right);
    if ((left < 0 ? -left : left) > limit) {
      return fail(expr.location, "integer overflow in constant expression: " + to_string(left) +
                                     " * " + to_string(right) + " is outside the 64-bit range");
    }
  }
  Int128 result = 0;
  if (op == "|")
    result = left | right;
  else if (op == "^")
    result = left ^ right;
  else if (op == "&")
    result = left & right;
  else if (op == "<<")
    result = left * (static_cast<Int128>(1) << static_cast<int>(right));
  else if (op == ">>")
    result = left >> static_cast<int>(right);
  else if (op == "+")
    result = left + right;
  else if (op == "-")
    result = left - right;
  else if (op == "*")
    result = left * right;
  else if (op == "/")
    result = left / right;
  else
    result = left % right;
  return checked_integer(result, expr.location);
}

std::optional<ConstValue> Evaluator::floating_op(const Expr& expr, long double left,
                                                 long double right) {
  ConstValue result;
  result.kind = ConstKind::floating;
  if (expr.op == "/" && right == 0) {
    return fail(expr.location, "division by zero in constant expression");
  }
  if (expr.op == "+")
    result.floating = left + right;
  else if (expr.op == "-")
    result.floating = left - right;
  else if (expr.op == "*")
    result.floating = left * right;
  else
    result.floating = left / right;
  return result;
}

std::optional<ConstValue> Evaluator::fixed_op(const Expr& expr, ConstValue left, ConstValue right) {
  for (ConstValue* value : {&left, &right}) {
    if (value->kind == ConstKind::integer) {
      value->kind = ConstKind::fixed;
      value->scale = 0;
    }
  }
  ConstValue result;
  result.kind = ConstKind::fixed;
  // Int128 holds 38 decimal digits: refuse intermediates that could exceed it.
  uint32_t widest = std::max(left.scale, right.scale);
  bool too_wide = expr.op == "*"
                      ? digit_count(left.integer) + digit_count(right.integer) > kInt128Digits
                      : digit_count(left.integer) + widest - left.scale > kInt128Digits ||
                            digit_count(right.integer) + widest - right.scale > kInt128Digits;
  if (too_wide) {
    return fail(expr.location, "fixed-point result has more than 31 digits");
  }
  if (expr.op == "+" || expr.op == "-") {
    uint32_t scale = std::max(left.scale, right.scale);
    Int128 a = left.integer * power_of_ten(scale - left.scale);
    Int128 b = right.integer * power_of_ten(scale - right.scale);
    result.integer = expr.op == "+" ? a + b : a - b;
    result.scale = scale;
  } else if (expr.op == "*") {
    result.integer = left.integer * right.integer;
    result.scale = left.scale + right.scale;
  } else {
    if (right.integer == 0) {
      return fail(expr.location, "division by zero in constant expression");
    }
    // Widen the dividend to the full 31 digits so the quotient keeps its precision.
    uint32_t extra = kMaxFixedDigits - std::min(kMaxFixedDigits, digit_count(left.integer));
    result.integer = left.integer * power_of_ten(extra) / right.integer;
    int scale =
        static_cast<int>(left.scale) + static_cast<int>(extra) - static_cast<int>(right.scale);
    if (scale < 0) {
      result.integer *= power_of_ten(static_cast<uint32_t>(-scale));
      scale = 0;
    }
    result.scale = static_cast<uint32_t>(scale);
  }
  result = normalize_fixed(result);
  if (digit_count(result.integer) > kMaxFixedDigits) {
    return fail(expr.location, "fixed-point result has more than 31 digits");
  }
  return result;
}

std::optional<ConstValue> Evaluator::mismatch(const ConstValue& value,
                                              const SourceLocation& location) {
  std::string what = value.kind == ConstKind::enumerator
                         ? "enumerator '" + value.enumerator->scoped_name() + "'"
                         : std::string(kind_phrase(value.kind)) + " (" + describe(value) + ")";
  return fail(location, "cannot use " + what + " as a value of type '" + describe(*target_) + "'");
}

std::optional<ConstValue> Evaluator::convert_integer(ConstValue value, const IntegerRange& range,
                                                     const SourceLocation& location) {
  if (value.kind != ConstKind::integer) {
    return mismatch(value, location);
  }
  if (value.integer < range.min || value.integer > range.max) {
    return fail(location, "value " + to_string(value.integer) + " is out of range for '" +
                              describe(*target_) + "' (" + to_string(range.min) + " to " +
                              to_string(range.max) + ")");
  }
  return value;
}

std::optional<ConstValue> Evaluator::convert_fixed(ConstValue value,
                                                   const SourceLocation& location) {
  if (value.kind == ConstKind::integer) {
    value.kind = ConstKind::fixed;
    value.scale = 0;
  }
  if (value.kind != ConstKind::fixed) {
    return mismatch(value, location);
  }
  if (target_->digits != 0) {
    if (value.scale > target_->scale) {
      return fail(location,
                  "value " + describe(value) + " does not fit in '" + describe(*target_) + "'");
    }
    // Written with the target's scale, the value needs this many digits.
    uint32_t needed = digit_count(value.integer) + (target_->scale - value.scale);
    if (value.integer != 0 && needed > target_->digits) {
      return fail(location,
                  "value " + describe(value) + " does not fit in '" + describe(*target_) + "'");
    }
  }
  return value;
}

std::optional<ConstValue> Evaluator::convert_string(ConstValue value,
                                                    const SourceLocation& location) {
  bool wide = target_->kind == TypeKind::wstring_type;
  if (wide && value.kind == ConstKind::string) {
    value.kind = ConstKind::wide_string;
    value.wide_string.assign(value.string.begin(), value.string.end());
    value.string.clear();
  }
  if (value.kind != (wide ? ConstKind::wide_string : ConstKind::string)) {
    return mismatch(value, location);
  }
  size_t length = wide ? value.wide_string.size() : value.string.size();
  if (target_->bound != 0 && length > target_->bound) {
    return fail(location, "string of length " + std::to_string(length) + " exceeds the bound of '" +
                              describe(*target_) + "'");
  }
  return value;
}

std::optional<ConstValue> Evaluator::convert(ConstValue value, const SourceLocation& location) {
  const Type& target = *target_;
  if (std::optional<IntegerRange> range = range_of(target.kind)) {
    return convert_integer(std::move(value), *range, location);
  }
  switch (target.kind) {
    case TypeKind::float_type:
    case TypeKind::double_type:
    case TypeKind::long_double_type:
      if (value.kind == ConstKind::integer) {
        value.kind = ConstKind::floating;
        value.floating = static_cast<long double>(value.integer);
      }
      if (value.kind != ConstKind::floating) {
        return mismatch(value, location);
      }
      if (target.kind == TypeKind::float_type &&
          (value.floating > FLT_MAX || value.floating < -FLT_MAX)) {
        return fail(location, "value " + describe(value) + " is out of range for 'float'");
      }
      if (target.kind == TypeKind::double_type &&
          (value.floating > DBL_MAX || value.floating < -DBL_MAX)) {
        return fail(location, "value " + describe(value) + " is out of range for 'double'");
      }
      return value;
    case TypeKind::fixed_type:
      return convert_fixed(std::move(value), location);
    case TypeKind::char_type:
      return value.kind == ConstKind::character ? std::optional(value) : mismatch(value, location);
    case TypeKind::wchar_type:
      if (value.kind == ConstKind::character) {
        value.kind = ConstKind::wide_character;
      }
      return value.kind == ConstKind::wide_character ? std::optional(value)
                                                     : mismatch(value, location);
    case TypeKind::boolean_type:
      return value.kind == ConstKind::boolean ? std::optional(value) : mismatch(value, location);
    case TypeKind::string_type:
    case TypeKind::wstring_type:
      return convert_string(std::move(value), location);
    case TypeKind::named_type:
      if (target.decl != nullptr && target.decl->kind == DeclKind::enumeration &&
          value.kind == ConstKind::enumerator && value.enumerator->owner == target.decl) {
        return value;
      }
      return mismatch(value, location);
    default:
      return mismatch(value, location);
  }
}

}  // namespace

std::string to_string(Int128 value) {
  if (value == 0) {
    return "0";
  }
  bool negative = value < 0;
  // Work on the magnitude as unsigned so the most negative value also prints.
  UInt128 magnitude =
      negative ? UInt128{0} - static_cast<UInt128>(value) : static_cast<UInt128>(value);
  std::string digits;
  while (magnitude > 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  }
  return negative ? "-" + digits : digits;
}

ConstValue fixed_from_digits(const std::string& digits, uint32_t scale) {
  ConstValue value;
  value.kind = ConstKind::fixed;
  for (char c : digits) {
    value.integer = value.integer * 10 + (c - '0');
  }
  value.scale = scale;
  return normalize_fixed(value);
}

std::string describe(const ConstValue& value) {
  switch (value.kind) {
    case ConstKind::integer:
      return to_string(value.integer);
    case ConstKind::floating: {
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%Lg", value.floating);
      return buffer;
    }
    case ConstKind::fixed: {
      std::string digits = to_string(value.integer < 0 ? -value.integer : value.integer);
      if (digits.size() <= value.scale) {
        digits.insert(0, value.scale - digits.size() + 1, '0');
      }
      if (value.scale > 0) {
        digits.insert(digits.size() - value.scale, ".");
      }
      return (value.integer < 0 ? "-" : "") + digits + "d";
    }
    case ConstKind::character:
    case ConstKind::wide_character:
      if (value.character >= 0x20 && value.character < 0x7f) {
        return std::string(value.kind == ConstKind::wide_character ? "L'" : "'") +
               static_cast<char>(value.character) + "'";
      }
      return "character " + std::to_string(value.character);
    case ConstKind::boolean:
      return value.boolean ? "TRUE" : "FALSE";
    case ConstKind::string:
      return "\"" + value.string + "\"";
    case ConstKind::wide_string:
      return "wide string of length " + std::to_string(value.wide_string.size());
    case ConstKind::enumerator:
      return value.enumerator->name;
    case ConstKind::none:
      break;
  }
  return "?";
}

bool is_valid_const_type(const Type& resolved) {
  switch (resolved.kind) {
    case TypeKind::short_type:
    case TypeKind::long_type:
    case TypeKind::long_long_type:
    case TypeKind::unsigned_short_type:
    case TypeKind::unsigned_long_type:
    case TypeKind::unsigned_long_long_type:
    case TypeKind::char_type:
    case TypeKind::wchar_type:
    case TypeKind::boolean_type:
    case TypeKind::float_type:
    case TypeKind::double_type:
    case TypeKind::long_double_type:
    case TypeKind::string_type:
    case TypeKind::wstring_type:
    case TypeKind::fixed_type:
    case TypeKind::octet_type:
      return true;
    case TypeKind::named_type:
      return resolved.decl != nullptr && resolved.decl->kind == DeclKind::enumeration;
    default:
      return false;
  }
}

std::optional<ConstValue> evaluate_value(const Expr& expr, Diagnostics& diagnostics) {
  return Evaluator(diagnostics, nullptr).eval(expr);
}

std::optional<ConstValue> evaluate_constant(const Expr& expr, const Type& target,
                                            Diagnostics& diagnostics) {
  const Type& resolved = resolve_alias(target);
  Evaluator evaluator(diagnostics, &resolved);
  std::optional<ConstValue> value = evaluator.eval(expr);
  if (!value) {
    return std::nullopt;
  }
  return evaluator.convert(std::move(*value), expr.location);
}

}  // namespace orb::idl
