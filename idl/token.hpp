// Tokens shared by the preprocessor and the lexer. The scanner produces raw
// preprocessing tokens (identifier, number, literal, punctuator); the
// preprocessor adds pragma and file-boundary markers; the lexer then turns
// identifiers into keywords and decodes literal values in place.
#pragma once

#include <idl/source.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace orb::idl {

enum class TokenKind : uint8_t {
  end_of_file,
  identifier,  ///< text is the name; an escaped `_name` has text "name" and escaped set
  keyword,
  pp_number,  ///< a number before the lexer classified it
  integer_literal,
  floating_literal,
  fixed_literal,
  char_literal,
  wchar_literal,
  string_literal,
  wstring_literal,
  punctuator,
  pragma,      ///< `#pragma NAME args`: text is NAME, pragma_args the rest of the line
  file_enter,  ///< start of an included file: text is its path
  file_exit,   ///< end of an included file
};

/// One token with the place it was written. Tokens produced by a macro
/// expansion carry the location of the macro's invocation.
struct Token {
  TokenKind kind = TokenKind::end_of_file;
  std::string text;  ///< spelling; for literals the source spelling including quotes
  SourceLocation location;
  bool at_line_start = false;  ///< first token on its line (directives start with one)
  bool space_before = false;
  bool escaped = false;  ///< identifier written with a leading '_'

  // Values the lexer decodes; which one is set follows from kind.
  uint64_t integer = 0;            ///< integer literal, or the code of a char literal
  long double floating = 0;        ///< floating literal
  std::string digits;              ///< fixed literal: significant digits without the point
  uint32_t scale = 0;              ///< fixed literal: digits after the point
  std::string narrow;              ///< decoded string literal
  std::u32string wide;             ///< decoded wide string literal
  std::vector<Token> pragma_args;  ///< raw tokens after `#pragma NAME`

  bool is(TokenKind k, std::string_view spelling) const noexcept {
    return kind == k && text == spelling;
  }
  bool is_punct(std::string_view spelling) const noexcept {
    return is(TokenKind::punctuator, spelling);
  }
  bool is_keyword(std::string_view spelling) const noexcept {
    return is(TokenKind::keyword, spelling);
  }
};

/// Describes a token for messages: `'interface'`, `identifier 'Foo'`, `end of file`.
std::string describe(const Token& token);

}  // namespace orb::idl
