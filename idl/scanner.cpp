// The character-level scanner behind scan().
#include <idl/scanner.hpp>

#include <array>
#include <cctype>

namespace orb::idl {
namespace {

// Longest punctuators first so "<<" wins over "<".
constexpr std::array<std::string_view, 10> kTwoCharPunctuators = {"::", "<<", ">>", "&&", "||",
                                                                  "==", "!=", "<=", ">=", "##"};
constexpr std::string_view kOneCharPunctuators = ";{}()[]<>,:=+-*/%~|^&!?#.";

bool is_identifier_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

class Scanner {
 public:
  Scanner(const std::string& file, const std::string& text, Diagnostics& diagnostics)
      : file_(file), diagnostics_(diagnostics) {
    splice_lines(text);
  }

  std::vector<Token> run();

 private:
  struct Position {
    uint32_t line;
    uint32_t column;
  };

  void splice_lines(const std::string& text);
  char peek(size_t ahead = 0) const {
    return pos_ + ahead < chars_.size() ? chars_[pos_ + ahead] : '\0';
  }
  SourceLocation location_at(size_t index) const {
    return {file_, positions_[index].line, positions_[index].column};
  }
  bool skip_space_and_comments();
  void skip_block_comment();
  Token make(TokenKind kind, size_t start);
  Token scan_identifier(size_t start);
  Token scan_number(size_t start);
  Token scan_quoted(size_t start, char quote, TokenKind kind);
  bool scan_punctuator(size_t start, Token& token);

  const std::string& file_;
  Diagnostics& diagnostics_;
  std::string chars_;                // text with continuations removed
  std::vector<Position> positions_;  // source position of each char in chars_
  size_t pos_ = 0;
  bool line_start_ = true;
};

// Drops backslash-newline pairs up front, remembering where each remaining
// character stood, so the rest of the scanner never sees continuations.
void Scanner::splice_lines(const std::string& text) {
  uint32_t line = 1;
  uint32_t column = 1;
  chars_.reserve(text.size());
  positions_.reserve(text.size() + 1);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool continuation = c == '\\' && (i + 1 < text.size()) &&
                        (text[i + 1] == '\n' ||
                         (text[i + 1] == '\r' && i + 2 < text.size() && text[i + 2] == '\n'));
    if (continuation) {
      i += text[i + 1] == '\r' ? 2 : 1;
      ++line;
      column = 1;
      continue;
    }
    chars_ += c;
    positions_.push_back({line, column});
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  positions_.push_back({line, column});  // end of file
}

void Scanner::skip_block_comment() {
  size_t start = pos_;
  pos_ += 2;
  while (pos_ < chars_.size()) {
    if (peek() == '*' && peek(1) == '/') {
      pos_ += 2;
      return;
    }
    if (peek() == '\n') {
      line_start_ = true;
    }
    ++pos_;
  }
  diagnostics_.error(location_at(start), "unterminated comment");
}

// Returns true when whitespace or a comment preceded the next token.
bool Scanner::skip_space_and_comments() {
  bool skipped = false;
  while (pos_ < chars_.size()) {
    char c = peek();
    if (c == '\n') {
      line_start_ = true;
      ++pos_;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      ++pos_;
    } else if (c == '/' && peek(1) == '/') {
      while (pos_ < chars_.size() && peek() != '\n') {
        ++pos_;
      }
    } else if (c == '/' && peek(1) == '*') {
      skip_block_comment();
    } else {
      break;
    }
    skipped = true;
  }
  return skipped;
}

Token Scanner::make(TokenKind kind, size_t start) {
  Token token;
  token.kind = kind;
  token.text = chars_.substr(start, pos_ - start);
  token.location = location_at(start);
  return token;
}

Token Scanner::scan_identifier(size_t start) {
  while (is_identifier_char(peek())) {
    ++pos_;
  }
  return make(TokenKind::identifier, start);
}

// A preprocessing number: digits, letters, '.', '_' and a sign after an exponent.
Token Scanner::scan_number(size_t start) {
  while (true) {
    char c = peek();
    bool exponent_sign =
        (c == '+' || c == '-') && pos_ > start &&
        (chars_[pos_ - 1] == 'e' || chars_[pos_ - 1] == 'E') &&
        !(chars_.size() > start + 1 && (chars_[start + 1] == 'x' || chars_[start + 1] == 'X'));
    if (is_identifier_char(c) || c == '.' || exponent_sign) {
      ++pos_;
    } else {
      break;
    }
  }
  return make(TokenKind::pp_number, start);
}

Token Scanner::scan_quoted(size_t start, char quote, TokenKind kind) {
  ++pos_;  // opening quote
  while (pos_ < chars_.size() && peek() != quote && peek() != '\n') {
    pos_ += (peek() == '\\' && pos_ + 1 < chars_.size() && peek(1) != '\n') ? 2 : 1;
  }
  if (peek() != quote) {
    diagnostics_.error(location_at(start), quote == '"' ? "unterminated string literal"
                                                        : "unterminated character literal");
    return make(kind, start);
  }
  ++pos_;
  return make(kind, start);
}

bool Scanner::scan_punctuator(size_t start, Token& token) {
  for (std::string_view two : kTwoCharPunctuators) {
    if (peek() == two[0] && peek(1) == two[1]) {
      pos_ += 2;
      token = make(TokenKind::punctuator, start);
      return true;
    }
  }
  if (kOneCharPunctuators.find(peek()) != std::string_view::npos) {
    ++pos_;
    token = make(TokenKind::punctuator, start);
    return true;
  }
  return false;
}

std::vector<Token> Scanner::run() {
  std::vector<Token> tokens;
  while (true) {
    bool space = skip_space_and_comments();
    size_t start = pos_;
    if (pos_ >= chars_.size()) {
      break;
    }
    char c = peek();
    Token token;
    if ((c == 'L') && (peek(1) == '\'' || peek(1) == '"')) {
      ++pos_;
      token = scan_quoted(start + 1, peek(),
                          peek() == '"' ? TokenKind::wstring_literal : TokenKind::wchar_literal);
      token.text = chars_.substr(start, pos_ - start);
      token.location = location_at(start);
    } else if (is_identifier_start(c)) {
      token = scan_identifier(start);
    } else if (is_digit(c) || (c == '.' && is_digit(peek(1)))) {
      token = scan_number(start);
    } else if (c == '"') {
      token = scan_quoted(start, '"', TokenKind::string_literal);
    } else if (c == '\'') {
      token = scan_quoted(start, '\'', TokenKind::char_literal);
    } else if (!scan_punctuator(start, token)) {
      diagnostics_.error(location_at(start), std::string("invalid character '") + c + "'");
      ++pos_;
      continue;
    }
    token.space_before = space;
    token.at_line_start = line_start_;
    line_start_ = false;
    tokens.push_back(std::move(token));
  }
  Token end;
  end.location = location_at(chars_.size());
  end.at_line_start = true;
  tokens.push_back(std::move(end));
  return tokens;
}

}  // namespace

std::vector<Token> scan(const std::string& file, const std::string& text,
                        Diagnostics& diagnostics) {
  return Scanner(file, text, diagnostics).run();
}

}  // namespace orb::idl
