// Unit tests of the IDL lexer: keywords, escaped identifiers and literals.
#include <idl/lexer.hpp>
#include <idl/scanner.hpp>

#include <gtest/gtest.h>

namespace orb::idl {
namespace {

struct Lexed {
  Diagnostics diagnostics;
  std::vector<Token> tokens;
};

std::unique_ptr<Lexed> lex_text(const std::string& text) {
  auto result = std::make_unique<Lexed>();
  result->tokens = lex(scan("t.idl", text, result->diagnostics), result->diagnostics);
  return result;
}

Token single(const std::string& text) {
  auto lexed = lex_text(text);
  EXPECT_FALSE(lexed->diagnostics.has_errors()) << text;
  EXPECT_EQ(lexed->tokens.size(), 2U) << text;  // the token and end_of_file
  return lexed->tokens.front();
}

std::string first_error(const std::string& text) {
  auto lexed = lex_text(text);
  return lexed->diagnostics.all().empty() ? "" : lexed->diagnostics.all().front().message;
}

TEST(IdlLexer, KeywordsAreCaseSensitive) {
  EXPECT_EQ(single("interface").kind, TokenKind::keyword);
  EXPECT_EQ(single("Object").kind, TokenKind::keyword);
  EXPECT_EQ(single("TRUE").kind, TokenKind::keyword);
  EXPECT_EQ(single("Account").kind, TokenKind::identifier);
}

TEST(IdlLexer, CaseOnlyKeywordClashIsAnError) {
  EXPECT_EQ(first_error("Module"),
            "identifier 'Module' differs only in case from the keyword 'module'; escape it as "
            "'_Module'");
  EXPECT_EQ(first_error("object"),
            "identifier 'object' differs only in case from the keyword 'Object'; escape it as "
            "'_object'");
}

TEST(IdlLexer, LaterKeywordClashIsAWarning) {
  auto lexed = lex_text("EventType EventType");
  EXPECT_FALSE(lexed->diagnostics.has_errors());
  ASSERT_EQ(lexed->diagnostics.all().size(), 1U);  // warned once per spelling
  EXPECT_EQ(lexed->diagnostics.all()[0].severity, Severity::warning);
}

TEST(IdlLexer, EscapedIdentifierDropsUnderscore) {
  Token token = single("_interface");
  EXPECT_EQ(token.kind, TokenKind::identifier);
  EXPECT_EQ(token.text, "interface");
  EXPECT_TRUE(token.escaped);
}

TEST(IdlLexer, IntegerLiteralsInEveryBase) {
  EXPECT_EQ(single("42").integer, 42U);
  EXPECT_EQ(single("0").integer, 0U);
  EXPECT_EQ(single("017").integer, 15U);
  EXPECT_EQ(single("0x1F").integer, 31U);
  EXPECT_EQ(single("0XfF").integer, 255U);
  EXPECT_EQ(single("18446744073709551615").integer, UINT64_MAX);
  EXPECT_EQ(single("0xFFFFFFFFFFFFFFFF").integer, UINT64_MAX);
  EXPECT_EQ(single("01777777777777777777777").integer, UINT64_MAX);
}

TEST(IdlLexer, IntegerLiteralErrors) {
  EXPECT_EQ(first_error("18446744073709551616"),
            "integer literal '18446744073709551616' does not fit in 64 bits");
  EXPECT_EQ(first_error("0x10000000000000000"),
            "integer literal '0x10000000000000000' does not fit in 64 bits");
  EXPECT_EQ(first_error("08"), "invalid digit '8' in octal constant");
  EXPECT_EQ(first_error("12abc"), "invalid integer literal '12abc'");
}

TEST(IdlLexer, FloatingLiterals) {
  Token token = single("1.5e3");
  EXPECT_EQ(token.kind, TokenKind::floating_literal);
  EXPECT_EQ(token.floating, 1500.0L);
  EXPECT_EQ(single(".25").floating, 0.25L);
  EXPECT_EQ(single("2E-2").floating, 0.02L);
  EXPECT_EQ(single("3.").floating, 3.0L);
}

TEST(IdlLexer, FixedLiterals) {
  Token token = single("1.50d");
  EXPECT_EQ(token.kind, TokenKind::fixed_literal);
  EXPECT_EQ(token.digits, "15");
  EXPECT_EQ(token.scale, 1U);
  Token whole = single("0120D");
  EXPECT_EQ(whole.digits, "120");
  EXPECT_EQ(whole.scale, 0U);
  Token fraction = single(".005d");
  EXPECT_EQ(fraction.digits, "5");
  EXPECT_EQ(fraction.scale, 3U);
  EXPECT_EQ(first_error("12345678901234567890123456789012d"),
            "fixed-point literal '12345678901234567890123456789012d' has more than 31 digits");
}

TEST(IdlLexer, CharLiteralsWithEscapes) {
  EXPECT_EQ(single("'a'").integer, static_cast<uint64_t>('a'));
  EXPECT_EQ(single("'\\n'").integer, 10U);
  EXPECT_EQ(single("'\\''").integer, 39U);
  EXPECT_EQ(single("'\\x41'").integer, 0x41U);
  EXPECT_EQ(single("'\\101'").integer, 65U);
  EXPECT_EQ(single("'\\0'").integer, 0U);
  EXPECT_EQ(single("'\\\\'").integer, 92U);
}

TEST(IdlLexer, WideCharLiterals) {
  Token token = single("L'\\u20AC'");
  EXPECT_EQ(token.kind, TokenKind::wchar_literal);
  EXPECT_EQ(token.integer, 0x20ACU);
  EXPECT_EQ(first_error("'\\u20AC'"), "unknown escape sequence '\\u'");
}

TEST(IdlLexer, CharLiteralErrors) {
  EXPECT_EQ(first_error("''"), "empty character literal");
  EXPECT_EQ(first_error("'ab'"), "character literal holds more than one character");
  EXPECT_EQ(first_error("'\\q'"), "unknown escape sequence '\\q'");
}

TEST(IdlLexer, StringLiteralsDecodeAndConcatenate) {
  Token token = single("\"one\\t\" \"two\\x21\"");
  EXPECT_EQ(token.kind, TokenKind::string_literal);
  EXPECT_EQ(token.narrow, "one\ttwo!");
  Token wide = single("L\"a\" L\"\\u00e9\"");
  EXPECT_EQ(wide.kind, TokenKind::wstring_literal);
  EXPECT_EQ(wide.wide, U"a\u00e9");
}

TEST(IdlLexer, StringLiteralErrors) {
  EXPECT_EQ(first_error("\"a\\0b\""), "string literal contains a NUL character");
  EXPECT_EQ(first_error("\"a\" L\"b\""), "cannot join a string literal and a wide string literal");
  EXPECT_EQ(first_error("\"open"), "unterminated string literal");
}

TEST(IdlLexer, PunctuationLongestMatch) {
  auto lexed = lex_text(":: << >> : < >");
  std::vector<std::string> spellings;
  for (const Token& token : lexed->tokens) {
    spellings.push_back(token.text);
  }
  EXPECT_EQ(spellings, (std::vector<std::string>{"::", "<<", ">>", ":", "<", ">", ""}));
}

TEST(IdlLexer, TokensKeepLineAndColumn) {
  auto lexed = lex_text("module\n  M {");
  EXPECT_EQ(lexed->tokens[1].location, (SourceLocation{"t.idl", 2, 3}));
  EXPECT_EQ(lexed->tokens[2].location, (SourceLocation{"t.idl", 2, 5}));
}

}  // namespace
}  // namespace orb::idl
