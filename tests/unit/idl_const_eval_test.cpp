// Unit tests of constant evaluation: values stored on the AST for every
// constant kind, and the 64-bit edge cases of integer arithmetic.
#include <idl/const_eval.hpp>
#include <tests/idl/idl_test_util.hpp>

#include <gtest/gtest.h>

namespace orb::idl {
namespace {

using test::compile_text;

// Compiles `idl` and returns the value of constant `name`; fails the test
// on any error.
ConstValue value_of(const std::string& idl, const std::string& name) {
  auto compiled = compile_text(idl);
  EXPECT_FALSE(compiled->diagnostics.has_errors()) << compiled->all_messages();
  auto* constant = dynamic_cast<Constant*>(compiled->find(name));
  EXPECT_NE(constant, nullptr) << name;
  return constant != nullptr ? constant->value : ConstValue{};
}

std::string error_of(const std::string& idl) {
  auto compiled = compile_text(idl);
  for (const Diagnostic& d : compiled->diagnostics.all()) {
    if (d.severity == Severity::error) {
      return d.message;
    }
  }
  return "";
}

TEST(IdlConstEval, IntegerOperatorsAndPrecedence) {
  ConstValue v = value_of("const long X = 1 + 2 * 3 - (8 / 2) % 3 | 0x10 ^ 1 & 3;", "::X");
  EXPECT_EQ(v.kind, ConstKind::integer);
  EXPECT_EQ(to_string(v.integer), std::to_string((1 + 2 * 3 - (8 / 2) % 3) | (0x10 ^ (1 & 3))));
  EXPECT_EQ(to_string(value_of("const short S = -(1 << 15);", "::S").integer), "-32768");
  EXPECT_EQ(to_string(value_of("const long L = 256 >> 4;", "::L").integer), "16");
}

TEST(IdlConstEval, SixtyFourBitLimitsAreAccepted) {
  EXPECT_EQ(
      to_string(value_of("const unsigned long long U = 18446744073709551615;", "::U").integer),
      "18446744073709551615");
  EXPECT_EQ(to_string(value_of("const long long MAX = 9223372036854775807;", "::MAX").integer),
            "9223372036854775807");
  EXPECT_EQ(to_string(value_of("const long long MIN = -9223372036854775807 - 1;", "::MIN").integer),
            "-9223372036854775808");
  EXPECT_EQ(to_string(value_of("const long long MIN = -9223372036854775808;", "::MIN").integer),
            "-9223372036854775808");
  EXPECT_EQ(to_string(value_of("const unsigned long UL = 0xFFFFFFFF;", "::UL").integer),
            "4294967295");
}

TEST(IdlConstEval, SixtyFourBitLimitsAreEnforced) {
  EXPECT_EQ(error_of("const unsigned long X = 0x100000000;"),
            "value 4294967296 is out of range for 'unsigned long' (0 to 4294967295)");
  EXPECT_EQ(error_of("const long long X = 9223372036854775808;"),
            "value 9223372036854775808 is out of range for 'long long' "
            "(-9223372036854775808 to 9223372036854775807)");
  EXPECT_EQ(error_of("const long X = -2147483649;"),
            "value -2147483649 is out of range for 'long' (-2147483648 to 2147483647)");
  EXPECT_EQ(error_of("const unsigned long long X = 0 - 1;"),
            "value -1 is out of range for 'unsigned long long' (0 to 18446744073709551615)");
  EXPECT_EQ(error_of("const unsigned long long X = 18446744073709551615 * 2;"),
            "integer overflow in constant expression: 18446744073709551615 * 2 is outside the "
            "64-bit range");
  EXPECT_EQ(error_of("const long long X = -9223372036854775807 - 3 + 1;"),
            "integer overflow in constant expression: -9223372036854775810 is outside the 64-bit "
            "range");
  EXPECT_EQ(error_of("const octet O = 256;"), "value 256 is out of range for 'octet' (0 to 255)");
}

TEST(IdlConstEval, ComplementFollowsTargetWidth) {
  EXPECT_EQ(to_string(value_of("const unsigned short X = ~0;", "::X").integer), "65535");
  EXPECT_EQ(to_string(value_of("const unsigned long long X = ~0;", "::X").integer),
            "18446744073709551615");
  EXPECT_EQ(to_string(value_of("const long X = ~5;", "::X").integer), "-6");
}

TEST(IdlConstEval, ReferencesToOtherConstantsThroughTypedefs) {
  const char* idl =
      "module M { typedef unsigned long Count; const Count A = 3; };\n"
      "const M::Count B = M::A * 2 + ::M::A;\n";
  EXPECT_EQ(to_string(value_of(idl, "::B").integer), "9");
}

TEST(IdlConstEval, FloatingValues) {
  ConstValue v = value_of("const double D = 1.5 * 4 - 1;", "::D");
  EXPECT_EQ(v.kind, ConstKind::floating);
  EXPECT_EQ(v.floating, 5.0L);
  EXPECT_EQ(value_of("const float F = 2;", "::F").floating, 2.0L);
  EXPECT_EQ(error_of("const float F = 1e39;"), "value 1e+39 is out of range for 'float'");
}

TEST(IdlConstEval, FixedValues) {
  ConstValue v = value_of("const fixed F = 1.25d + 0.75d * 2;", "::F");
  EXPECT_EQ(v.kind, ConstKind::fixed);
  EXPECT_EQ(describe(v), "2.75d");
  EXPECT_EQ(describe(value_of("const fixed N = -0.5d;", "::N")), "-0.5d");
  EXPECT_EQ(describe(value_of("const fixed Q = 1d / 4d;", "::Q")), "0.25d");
  EXPECT_EQ(error_of("typedef fixed<4, 2> Money; const Money M = 123.5d;"),
            "value 123.5d does not fit in 'fixed<4, 2>'");
}

TEST(IdlConstEval, CharactersStringsAndBooleans) {
  EXPECT_EQ(value_of("const char C = 'x';", "::C").character, static_cast<uint32_t>('x'));
  EXPECT_EQ(value_of("const wchar W = L'\\u0101';", "::W").character, 0x101U);
  EXPECT_EQ(value_of("const string S = \"ab\" \"cd\";", "::S").string, "abcd");
  EXPECT_EQ(value_of("const wstring W = L\"hi\";", "::W").wide_string, U"hi");
  EXPECT_TRUE(value_of("const boolean B = TRUE;", "::B").boolean);
  EXPECT_EQ(error_of("const boolean B = 1;"),
            "cannot use an integer (1) as a value of type 'boolean'");
  EXPECT_EQ(error_of("const char C = \"s\";"),
            "cannot use a string (\"s\") as a value of type 'char'");
}

TEST(IdlConstEval, EnumValues) {
  auto compiled = compile_text("enum Color { red, green }; const Color C = green;");
  ASSERT_FALSE(compiled->diagnostics.has_errors()) << compiled->all_messages();
  auto* constant = dynamic_cast<Constant*>(compiled->find("::C"));
  ASSERT_NE(constant, nullptr);
  EXPECT_EQ(constant->value.kind, ConstKind::enumerator);
  EXPECT_EQ(constant->value.enumerator->name, "green");
  EXPECT_EQ(constant->value.enumerator->value, 1U);
}

TEST(IdlConstEval, OperatorOnWrongKindReports) {
  EXPECT_EQ(error_of("const string S = \"a\" + \"b\";"),
            "operator '+' cannot be applied to a string and a string");
  EXPECT_EQ(error_of("const double D = 1.0 | 2;"),
            "operator '|' cannot be applied to a floating-point value and an integer");
  EXPECT_EQ(error_of("const long X = -'a';"), "unary '-' cannot be applied to a character");
}

TEST(IdlConstEval, BoundsUseConstants) {
  auto compiled = compile_text(
      "const long N = 4; typedef sequence<long, N * 2> Seq; typedef string<N> S;"
      "typedef long Grid[N][N + 1];");
  ASSERT_FALSE(compiled->diagnostics.has_errors()) << compiled->all_messages();
  EXPECT_EQ(static_cast<Alias*>(compiled->find("::Seq"))->type->bound, 8U);
  EXPECT_EQ(static_cast<Alias*>(compiled->find("::S"))->type->bound, 4U);
  EXPECT_EQ(static_cast<Alias*>(compiled->find("::Grid"))->type->dimensions,
            (std::vector<uint64_t>{4, 5}));
}

}  // namespace
}  // namespace orb::idl
