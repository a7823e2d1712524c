// Keyword classification and literal decoding for lex().
#include <idl/lexer.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>

namespace orb::idl {
namespace {

// Keywords of CORBA 2.2 and earlier: an identifier that differs from one of
// these only in case is an error.
constexpr std::array<std::string_view, 38> kCoreKeywords = {
    "any",       "attribute", "boolean",   "case",   "char",   "const",   "context", "default",
    "double",    "enum",      "exception", "FALSE",  "fixed",  "float",   "in",      "inout",
    "interface", "long",      "module",    "native", "Object", "octet",   "oneway",  "out",
    "raises",    "readonly",  "sequence",  "short",  "string", "struct",  "switch",  "TRUE",
    "typedef",   "unsigned",  "union",     "void",   "wchar",  "wstring",
};

// Keywords that objects by value, local interfaces and the component model
// added later. Older IDL, including the OMG's own service IDL, uses names
// such as `EventType`, `ValueType` or `Factory`, so a case-only clash with
// these is a warning.
constexpr std::array<std::string_view, 27> kLaterKeywords = {
    "abstract",    "component", "consumes",   "custom", "emits",     "eventtype", "factory",
    "finder",      "getraises", "home",       "import", "local",     "manages",   "multiple",
    "primarykey",  "private",   "provides",   "public", "publishes", "setraises", "supports",
    "truncatable", "typeid",    "typeprefix", "uses",   "ValueBase", "valuetype",
};

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

template <size_t N>
std::optional<std::string_view> case_clash(const std::array<std::string_view, N>& keywords,
                                           std::string_view word) {
  std::string lower = lowercase(word);
  for (std::string_view keyword : keywords) {
    if (lowercase(keyword) == lower) {
      return keyword;
    }
  }
  return std::nullopt;
}

int digit_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return 99;
}

class Lexer {
 public:
  explicit Lexer(Diagnostics& diagnostics) : diagnostics_(diagnostics) {}

  std::vector<Token> run(std::vector<Token> tokens);

 private:
  void identifier(Token& token);
  void number(Token& token);
  bool integer(Token& token);
  void fixed(Token& token);
  void floating(Token& token);
  void character(Token& token, bool wide);
  void string(Token& token, bool wide);
  bool escape(const Token& token, std::string_view text, size_t& pos, bool wide, uint32_t& code);
  bool append_string(Token& into, Token& next);

  Diagnostics& diagnostics_;
  std::set<std::string> warned_;  // identifiers already warned about
};

std::vector<Token> Lexer::run(std::vector<Token> tokens) {
  std::vector<Token> out;
  out.reserve(tokens.size());
  for (Token& token : tokens) {
    switch (token.kind) {
      case TokenKind::identifier:
        identifier(token);
        break;
      case TokenKind::pp_number:
        number(token);
        break;
      case TokenKind::char_literal:
      case TokenKind::wchar_literal:
        character(token, token.kind == TokenKind::wchar_literal);
        break;
      case TokenKind::string_literal:
      case TokenKind::wstring_literal:
        string(token, token.kind == TokenKind::wstring_literal);
        if (!out.empty() && append_string(out.back(), token)) {
          continue;
        }
        break;
      default:
        break;
    }
    out.push_back(std::move(token));
  }
  return out;
}

void Lexer::identifier(Token& token) {
  if (token.text.size() > 1 && token.text.front() == '_') {
    token.text.erase(0, 1);
    token.escaped = true;
    return;
  }
  if (is_keyword(token.text)) {
    token.kind = TokenKind::keyword;
    return;
  }
  if (auto keyword = case_clash(kCoreKeywords, token.text)) {
    diagnostics_.error(token.location,
                       "identifier '" + token.text + "' differs only in case from the keyword '" +
                           std::string(*keyword) + "'; escape it as '_" + token.text + "'");
  } else if (auto later = case_clash(kLaterKeywords, token.text)) {
    if (warned_.insert(token.text).second) {
      diagnostics_.warning(token.location, "identifier '" + token.text +
                                               "' differs only in case from the keyword '" +
                                               std::string(*later) + "'; escape it as '_" +
                                               token.text + "'");
    }
  }
}

void Lexer::number(Token& token) {
  const std::string& text = token.text;
  bool hex = text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  if (!hex && (text.back() == 'd' || text.back() == 'D')) {
    fixed(token);
  } else if (!hex && text.find_first_of(".eE") != std::string::npos) {
    floating(token);
  } else {
    integer(token);
  }
}

bool Lexer::integer(Token& token) {
  token.kind = TokenKind::integer_literal;
  std::string_view text = token.text;
  int base = 10;
  if (text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  } else if (text.size() > 1 && text[0] == '0') {
    base = 8;
    text.remove_prefix(1);
  }
  uint64_t value = 0;
  for (char c : text) {
    int digit = digit_value(c);
    if (digit >= base) {
      std::string what = base == 8 && digit < 10
                             ? "invalid digit '" + std::string(1, c) + "' in octal constant"
                             : "invalid integer literal '" + token.text + "'";
      diagnostics_.error(token.location, what);
      return false;
    }
    if (value > (UINT64_MAX - static_cast<uint64_t>(digit)) / static_cast<uint64_t>(base)) {
      diagnostics_.error(token.location,
                         "integer literal '" + token.text + "' does not fit in 64 bits");
      return false;
    }
    value = value * static_cast<uint64_t>(base) + static_cast<uint64_t>(digit);
  }
  if (base == 16 && text.empty()) {
    diagnostics_.error(token.location, "invalid integer literal '" + token.text + "'");
    return false;
  }
  token.integer = value;
  return true;
}

// `123.45d`: keeps the significant digits and the count after the point.
void Lexer::fixed(Token& token) {
  token.kind = TokenKind::fixed_literal;
  std::string_view text(token.text);
  text.remove_suffix(1);
  size_t point = text.find('.');
  std::string digits;
  for (char c : text) {
    if (c == '.')
      continue;
    if (c < '0' || c > '9') {
      diagnostics_.error(token.location, "invalid fixed-point literal '" + token.text + "'");
      return;
    }
    digits += c;
  }
  uint32_t scale =
      point == std::string_view::npos ? 0 : static_cast<uint32_t>(text.size() - point - 1);
  // Leading zeros carry nothing; trailing zeros after the point do not change the value.
  while (scale > 0 && !digits.empty() && digits.back() == '0') {
    digits.pop_back();
    --scale;
  }
  size_t first = digits.find_first_not_of('0');
  digits = first == std::string::npos ? "0" : digits.substr(first);
  if (digits.size() > 31) {
    diagnostics_.error(token.location,
                       "fixed-point literal '" + token.text + "' has more than 31 digits");
    return;
  }
  token.digits = digits;
  token.scale = scale;
}

void Lexer::floating(Token& token) {
  token.kind = TokenKind::floating_literal;
  const char* begin = token.text.c_str();
  char* end = nullptr;
  token.floating = std::strtold(begin, &end);
  if (end != begin + token.text.size()) {
    diagnostics_.error(token.location, "invalid floating-point literal '" + token.text + "'");
  }
}

// Decodes one escape sequence starting at the backslash at `pos`.
bool Lexer::escape(const Token& token, std::string_view text, size_t& pos, bool wide,
                   uint32_t& code) {
  char c = text[++pos];
  ++pos;
  switch (c) {
    case 'n':
      code = '\n';
      return true;
    case 't':
      code = '\t';
      return true;
    case 'v':
      code = '\v';
      return true;
    case 'b':
      code = '\b';
      return true;
    case 'r':
      code = '\r';
      return true;
    case 'f':
      code = '\f';
      return true;
    case 'a':
      code = '\a';
      return true;
    case '\\':
    case '?':
    case '\'':
    case '"':
      code = static_cast<uint8_t>(c);
      return true;
    default:
      break;
  }
  size_t max_digits = 0;
  int base = 16;
  if (c >= '0' && c <= '7') {
    base = 8;
    max_digits = 3;
    --pos;
  } else if (c == 'x') {
    max_digits = 2;
  } else if (c == 'u' && wide) {
    max_digits = 4;
  } else {
    diagnostics_.error(token.location, std::string("unknown escape sequence '\\") + c + "'");
    return false;
  }
  code = 0;
  size_t count = 0;
  while (count < max_digits && pos < text.size() && digit_value(text[pos]) < base) {
    code = code * static_cast<uint32_t>(base) + static_cast<uint32_t>(digit_value(text[pos++]));
    ++count;
  }
  if (count == 0) {
    diagnostics_.error(token.location, std::string("escape sequence '\\") + c + "' has no digits");
    return false;
  }
  return true;
}

void Lexer::character(Token& token, bool wide) {
  std::string_view text(token.text);
  text.remove_prefix(wide ? 2 : 1);
  if (text.empty() || text.back() != '\'') {
    return;  // unterminated: the scanner reported it
  }
  text.remove_suffix(1);
  if (text.empty()) {
    diagnostics_.error(token.location, "empty character literal");
    return;
  }
  size_t pos = 0;
  uint32_t code = static_cast<uint8_t>(text[0]);
  if (text[0] == '\\') {
    if (!escape(token, text, pos, wide, code)) {
      return;
    }
  } else {
    ++pos;
  }
  if (pos != text.size()) {
    diagnostics_.error(token.location, "character literal holds more than one character");
    return;
  }
  if (!wide && code > 0xff) {
    diagnostics_.error(token.location, "character literal does not fit in 8 bits");
  }
  token.integer = code;
}

void Lexer::string(Token& token, bool wide) {
  std::string_view text(token.text);
  text.remove_prefix(wide ? 2 : 1);
  if (text.empty() || text.back() != '"') {
    return;  // unterminated: the scanner reported it
  }
  text.remove_suffix(1);
  for (size_t pos = 0; pos < text.size();) {
    uint32_t code = static_cast<uint8_t>(text[pos]);
    if (text[pos] == '\\') {
      if (!escape(token, text, pos, wide, code)) {
        return;
      }
    } else {
      ++pos;
    }
    if (code == 0) {
      diagnostics_.error(token.location, "string literal contains a NUL character");
      return;
    }
    if (wide) {
      token.wide += static_cast<char32_t>(code);
    } else {
      token.narrow += static_cast<char>(code);
    }
  }
}

// Joins `next` onto an adjacent string literal of the same kind.
bool Lexer::append_string(Token& into, Token& next) {
  bool both_narrow = into.kind == TokenKind::string_literal && next.kind == into.kind;
  bool both_wide = into.kind == TokenKind::wstring_literal && next.kind == into.kind;
  if (into.kind != TokenKind::string_literal && into.kind != TokenKind::wstring_literal) {
    return false;
  }
  if (!both_narrow && !both_wide) {
    diagnostics_.error(next.location, "cannot join a string literal and a wide string literal");
    return true;
  }
  into.narrow += next.narrow;
  into.wide += next.wide;
  into.text += " " + next.text;
  return true;
}

}  // namespace

bool is_keyword(std::string_view word) {
  return std::find(kCoreKeywords.begin(), kCoreKeywords.end(), word) != kCoreKeywords.end() ||
         std::find(kLaterKeywords.begin(), kLaterKeywords.end(), word) != kLaterKeywords.end();
}

std::vector<Token> lex(std::vector<Token> tokens, Diagnostics& diagnostics) {
  return Lexer(diagnostics).run(std::move(tokens));
}

std::string describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::end_of_file:
      return "end of file";
    case TokenKind::pragma:
      return "'#pragma'";
    default:
      return "'" + (token.escaped ? "_" + token.text : token.text) + "'";
  }
}

}  // namespace orb::idl
