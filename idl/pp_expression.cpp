// A precedence-climbing evaluator for #if expressions.
#include <idl/pp_expression.hpp>

#include <cctype>
#include <string_view>

namespace orb::idl {
namespace {

struct BinaryOperator {
  std::string_view spelling;
  int precedence;  // higher binds tighter
};

// C's binary operators; ?: sits below them all and is handled separately.
constexpr BinaryOperator kBinaryOperators[] = {
    {"||", 1}, {"&&", 2}, {"|", 3}, {"^", 4},  {"&", 5},  {"==", 6},
    {"!=", 6}, {"<", 7},  {">", 7}, {"<=", 7}, {">=", 7}, {"<<", 8},
    {">>", 8}, {"+", 9},  {"-", 9}, {"*", 10}, {"/", 10}, {"%", 10},
};

class PpExpression {
 public:
  PpExpression(const std::vector<Token>& tokens, const SourceLocation& directive,
               Diagnostics& diagnostics)
      : tokens_(tokens), directive_(directive), diagnostics_(diagnostics) {}

  std::optional<int64_t> evaluate();

 private:
  bool at_end() const { return pos_ >= tokens_.size(); }
  const Token* current() const { return at_end() ? nullptr : &tokens_[pos_]; }
  bool accept(std::string_view punct) {
    if (!at_end() && tokens_[pos_].is_punct(punct)) {
      ++pos_;
      return true;
    }
    return false;
  }
  void fail(const std::string& message);
  const BinaryOperator* binary_operator() const;
  int64_t conditional();
  int64_t binary(int min_precedence);
  int64_t unary();
  int64_t primary();
  int64_t number(const Token& token);
  int64_t character(const Token& token);
  int64_t apply(std::string_view op, int64_t left, int64_t right, const Token& token);

  const std::vector<Token>& tokens_;
  const SourceLocation& directive_;
  Diagnostics& diagnostics_;
  size_t pos_ = 0;
  bool failed_ = false;
};

void PpExpression::fail(const std::string& message) {
  if (failed_) {
    return;
  }
  failed_ = true;
  diagnostics_.error(at_end() ? directive_ : tokens_[pos_].location, message);
}

std::optional<int64_t> PpExpression::evaluate() {
  if (tokens_.empty()) {
    fail("#if with no expression");
    return std::nullopt;
  }
  int64_t value = conditional();
  if (!failed_ && !at_end()) {
    fail("unexpected '" + tokens_[pos_].text + "' in preprocessor expression");
  }
  if (failed_) {
    return std::nullopt;
  }
  return value;
}

int64_t PpExpression::conditional() {
  int64_t condition = binary(1);
  if (!accept("?")) {
    return condition;
  }
  int64_t if_true = conditional();
  if (!accept(":")) {
    fail("expected ':' in conditional expression");
    return 0;
  }
  int64_t if_false = conditional();
  return condition != 0 ? if_true : if_false;
}

const BinaryOperator* PpExpression::binary_operator() const {
  if (at_end() || tokens_[pos_].kind != TokenKind::punctuator) {
    return nullptr;
  }
  for (const BinaryOperator& op : kBinaryOperators) {
    if (tokens_[pos_].text == op.spelling) {
      return &op;
    }
  }
  return nullptr;
}

int64_t PpExpression::binary(int min_precedence) {
  int64_t left = unary();
  while (!failed_) {
    const BinaryOperator* op = binary_operator();
    if (op == nullptr || op->precedence < min_precedence) {
      break;
    }
    const Token& op_token = tokens_[pos_++];
    int64_t right = binary(op->precedence + 1);
    left = apply(op->spelling, left, right, op_token);
  }
  return left;
}

int64_t PpExpression::apply(std::string_view op, int64_t left, int64_t right, const Token& token) {
  // Arithmetic wraps through uint64_t so overflow is defined.
  auto l = static_cast<uint64_t>(left);
  auto r = static_cast<uint64_t>(right);
  if ((op == "/" || op == "%") && right == 0) {
    diagnostics_.error(token.location, "division by zero in preprocessor expression");
    failed_ = true;
    return 0;
  }
  if (op == "||")
    return (left != 0 || right != 0) ? 1 : 0;
  if (op == "&&")
    return (left != 0 && right != 0) ? 1 : 0;
  if (op == "|")
    return left | right;
  if (op == "^")
    return left ^ right;
  if (op == "&")
    return left & right;
  if (op == "==")
    return left == right ? 1 : 0;
  if (op == "!=")
    return left != right ? 1 : 0;
  if (op == "<")
    return left < right ? 1 : 0;
  if (op == ">")
    return left > right ? 1 : 0;
  if (op == "<=")
    return left <= right ? 1 : 0;
  if (op == ">=")
    return left >= right ? 1 : 0;
  if (op == "<<")
    return static_cast<int64_t>(r >= 64 ? 0 : l << r);
  if (op == ">>")
    return r >= 64 ? (left < 0 ? -1 : 0) : left >> r;
  if (op == "+")
    return static_cast<int64_t>(l + r);
  if (op == "-")
    return static_cast<int64_t>(l - r);
  if (op == "*")
    return static_cast<int64_t>(l * r);
  if (left == INT64_MIN && right == -1)
    return op == "/" ? left : 0;
  return op == "/" ? left / right : left % right;
}

int64_t PpExpression::unary() {
  if (accept("-"))
    return static_cast<int64_t>(0 - static_cast<uint64_t>(unary()));
  if (accept("+"))
    return unary();
  if (accept("~"))
    return ~unary();
  if (accept("!"))
    return unary() == 0 ? 1 : 0;
  return primary();
}

int64_t PpExpression::primary() {
  const Token* token = current();
  if (token == nullptr) {
    fail("expected value in preprocessor expression");
    return 0;
  }
  if (accept("(")) {
    int64_t value = conditional();
    if (!accept(")")) {
      fail("expected ')' in preprocessor expression");
    }
    return value;
  }
  ++pos_;
  switch (token->kind) {
    case TokenKind::pp_number:
      return number(*token);
    case TokenKind::identifier:
      return 0;  // an identifier that is not a macro
    case TokenKind::char_literal:
      return character(*token);
    default:
      --pos_;
      fail("expected value in preprocessor expression, found '" + token->text + "'");
      return 0;
  }
}

int64_t PpExpression::number(const Token& token) {
  std::string_view text = token.text;
  while (!text.empty() &&
         (text.back() == 'u' || text.back() == 'U' || text.back() == 'l' || text.back() == 'L')) {
    text.remove_suffix(1);
  }
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  } else if (text.size() > 1 && text[0] == '0') {
    base = 8;
  }
  uint64_t value = 0;
  for (char c : text) {
    int digit = std::isdigit(static_cast<unsigned char>(c)) != 0 ? c - '0'
                : std::isxdigit(static_cast<unsigned char>(c)) != 0
                    ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                    : 99;
    if (digit >= base) {
      diagnostics_.error(token.location,
                         "invalid integer '" + token.text + "' in preprocessor expression");
      failed_ = true;
      return 0;
    }
    value = value * static_cast<uint64_t>(base) + static_cast<uint64_t>(digit);
  }
  return static_cast<int64_t>(value);
}

int64_t PpExpression::character(const Token& token) {
  // 'x' or a simple escape; enough for the rare character in #if.
  std::string_view text = token.text;
  if (text.size() == 3)
    return static_cast<unsigned char>(text[1]);
  if (text.size() == 4 && text[1] == '\\') {
    switch (text[2]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case '0':
        return 0;
      default:
        return static_cast<unsigned char>(text[2]);
    }
  }
  diagnostics_.error(token.location, "unsupported character constant in preprocessor expression");
  failed_ = true;
  return 0;
}

}  // namespace

std::optional<int64_t> evaluate_pp_expression(const std::vector<Token>& tokens,
                                              const SourceLocation& directive,
                                              Diagnostics& diagnostics) {
  return PpExpression(tokens, directive, diagnostics).evaluate();
}

}  // namespace orb::idl
