// Token handling, scopes and pragmas of the IDL parser. The constructs
// themselves are in parser_decls.cpp and parser_types.cpp.
#include <idl/parser.hpp>

namespace orb::idl {

void parse(std::vector<Token> tokens, const std::string& main_file, Specification& spec,
           Diagnostics& diagnostics) {
  Parser(std::move(tokens), main_file, spec, diagnostics).parse_specification();
}

Parser::Parser(std::vector<Token> tokens, const std::string& main_file, Specification& spec,
               Diagnostics& diagnostics)
    : tokens_(std::move(tokens)),
      main_file_(main_file),
      spec_(spec),
      diagnostics_(diagnostics),
      names_(diagnostics) {
  if (tokens_.empty() || tokens_.back().kind != TokenKind::end_of_file) {
    tokens_.emplace_back();
  }
  spec_.main_file = main_file;
  if (spec_.global == nullptr) {
    spec_.global = spec_.make_scope(nullptr, nullptr);
  }
  scope_ = spec_.global;
  definitions_ = &spec_.definitions;
  prefixes_.push_back({"", spec_.global});
}

void Parser::parse_specification() {
  // Directives before the first token of the file apply before any definition.
  while (tok().kind == TokenKind::pragma || tok().kind == TokenKind::file_enter ||
         tok().kind == TokenKind::file_exit) {
    handle_directive(tok());
    ++pos_;
  }
  while (tok().kind != TokenKind::end_of_file && !diagnostics_.error_limit_reached()) {
    if (!parse_definition()) {
      recover();
    }
  }
}

// ---------------------------------------------------------------------------
// Token stream

namespace {

bool is_directive(const Token& token) {
  return token.kind == TokenKind::pragma || token.kind == TokenKind::file_enter ||
         token.kind == TokenKind::file_exit;
}

}  // namespace

const Token& Parser::peek(size_t ahead) const {
  size_t pos = pos_;
  while (ahead > 0 && tokens_[pos].kind != TokenKind::end_of_file) {
    ++pos;
    if (!is_directive(tokens_[pos])) {
      --ahead;
    }
  }
  return tokens_[pos];
}

// Moves to the next token, applying the pragmas and file boundaries passed
// on the way, so they take effect in the scope the parser is in there.
void Parser::advance() {
  if (tok().kind == TokenKind::end_of_file) {
    return;
  }
  ++pos_;
  while (is_directive(tok())) {
    handle_directive(tok());
    ++pos_;
  }
}

void Parser::handle_directive(const Token& token) {
  switch (token.kind) {
    case TokenKind::file_enter:
      // Each file starts without a prefix, and a prefix set inside an
      // included file ends with it.
      prefixes_.push_back({"", scope_});
      break;
    case TokenKind::file_exit:
      if (prefixes_.size() > 1) {
        prefixes_.pop_back();
      }
      break;
    case TokenKind::pragma:
      handle_pragma(token);
      break;
    default:
      break;
  }
}

bool Parser::accept_punct(std::string_view spelling) {
  if (spelling == ">") {
    split_shift_right();
  }
  if (tok().is_punct(spelling)) {
    advance();
    return true;
  }
  return false;
}

bool Parser::accept_keyword(std::string_view spelling) {
  if (tok().is_keyword(spelling)) {
    advance();
    return true;
  }
  return false;
}

void Parser::expected(std::string_view what, std::string_view context) {
  if (syntax_error_) {
    return;  // one message per syntax error; recover() resumes reporting
  }
  syntax_error_ = true;
  std::string message = "expected " + std::string(what);
  if (!context.empty()) {
    message += " " + std::string(context);
  }
  diagnostics_.error(tok().location, message + ", found " + describe(tok()));
}

bool Parser::expect_punct(std::string_view spelling, std::string_view context) {
  if (accept_punct(spelling)) {
    return true;
  }
  expected("'" + std::string(spelling) + "'", context);
  // A ';' missing before a keyword or '}' is most likely just forgotten:
  // carry on as if it were there, so the next definition is still checked.
  if (spelling == ";" && (tok().kind == TokenKind::keyword || tok().is_punct("}"))) {
    syntax_error_ = false;
    return true;
  }
  return false;
}

bool Parser::expect_keyword(std::string_view spelling, std::string_view context) {
  if (accept_keyword(spelling)) {
    return true;
  }
  expected("'" + std::string(spelling) + "'", context);
  return false;
}

std::optional<std::pair<std::string, SourceLocation>> Parser::expect_identifier(
    std::string_view context) {
  if (tok().kind != TokenKind::identifier) {
    expected("identifier", context);
    return std::nullopt;
  }
  std::pair<std::string, SourceLocation> result{tok().text, tok().location};
  advance();
  return result;
}

// `sequence<sequence<long>>` ends with ">>": split it into two '>' tokens.
void Parser::split_shift_right() {
  Token& token = tokens_[pos_];
  if (!token.is_punct(">>")) {
    return;
  }
  Token second = token;
  second.text = ">";
  second.location.column += 1;
  token.text = ">";
  tokens_.insert(tokens_.begin() + static_cast<std::ptrdiff_t>(pos_) + 1, std::move(second));
}

// Skips to the end of the broken definition: past the next ';' outside
// braces, or up to the '}' that closes the enclosing scope.
void Parser::recover() {
  int depth = 0;
  while (tok().kind != TokenKind::end_of_file) {
    if (tok().is_punct("{")) {
      ++depth;
    } else if (tok().is_punct("}")) {
      if (depth == 0) {
        break;
      }
      --depth;
    } else if (tok().is_punct(";") && depth == 0) {
      advance();
      break;
    }
    advance();
  }
  syntax_error_ = false;
}

// ---------------------------------------------------------------------------
// Scopes and declarations

// Declares `decl` in the current scope and appends it to the current list of
// definitions; a failed declaration keeps the node out of the tree.
bool Parser::add(Decl* decl) {
  if (!names_.declare(scope_, decl)) {
    return false;
  }
  definitions_->push_back(decl);
  return true;
}

void Parser::enter(ScopeDecl* decl) {
  saved_.push_back({scope_, definitions_});
  scope_ = decl->scope;
  definitions_ = &decl->definitions;
  prefixes_.push_back(prefixes_.back());
}

// Consumes the '{' of `decl` after entering it, so that a pragma right
// after the brace applies inside the scope.
bool Parser::open_scope(ScopeDecl* decl, std::string_view context) {
  if (!tok().is_punct("{")) {
    expected("'{'", context);
    return false;
  }
  enter(decl);
  advance();
  return true;
}

// Leaves the current scope before consuming its '}', so that a pragma right
// after the brace applies outside.
bool Parser::close_scope(std::string_view context) {
  leave();
  if (!tok().is_punct("}")) {
    expected("'}'", context);
    return false;
  }
  advance();
  return true;
}

void Parser::leave() {
  scope_ = saved_.back().first;
  definitions_ = saved_.back().second;
  saved_.pop_back();
  if (prefixes_.size() > 1) {
    prefixes_.pop_back();
  }
}

// ---------------------------------------------------------------------------
// Pragmas

void Parser::handle_pragma(const Token& pragma) {
  if (pragma.text == "prefix") {
    pragma_prefix(pragma);
  } else if (pragma.text == "ID") {
    pragma_id(pragma);
  } else if (pragma.text == "version") {
    pragma_version(pragma);
  }
  // Other pragmas belong to other compilers (omniidl's `hh`, `javaPackage`).
}

namespace {

std::optional<std::string> pragma_string(const Token& pragma, size_t pos) {
  if (pos >= pragma.pragma_args.size()) {
    return std::nullopt;
  }
  const Token& token = pragma.pragma_args[pos];
  if (token.kind != TokenKind::string_literal || token.text.size() < 2) {
    return std::nullopt;
  }
  return token.text.substr(1, token.text.size() - 2);
}

SourceLocation pragma_arg_location(const Token& pragma, size_t pos) {
  return pos < pragma.pragma_args.size() ? pragma.pragma_args[pos].location : pragma.location;
}

}  // namespace

void Parser::pragma_prefix(const Token& pragma) {
  std::optional<std::string> prefix = pragma_string(pragma, 0);
  if (!prefix || pragma.pragma_args.size() != 1) {
    diagnostics_.error(pragma_arg_location(pragma, 0), "#pragma prefix expects one string literal");
    return;
  }
  prefixes_.back() = {*prefix, scope_};
}

// Reads the scoped name at `pos` of a pragma and resolves it.
Decl* Parser::pragma_target(const Token& pragma, size_t& pos) {
  ScopedName name;
  const auto& args = pragma.pragma_args;
  name.location = pragma_arg_location(pragma, pos);
  if (pos < args.size() && args[pos].is_punct("::")) {
    name.absolute = true;
    ++pos;
  }
  while (pos < args.size() && args[pos].kind == TokenKind::identifier) {
    std::string part = args[pos].text;
    if (part.size() > 1 && part.front() == '_') {
      part.erase(0, 1);
    }
    name.parts.push_back(part);
    name.locations.push_back(args[pos].location);
    ++pos;
    if (pos < args.size() && args[pos].is_punct("::")) {
      ++pos;
      continue;
    }
    break;
  }
  if (name.parts.empty()) {
    diagnostics_.error(name.location, "#pragma " + pragma.text + " expects a name");
    return nullptr;
  }
  return names_.lookup(scope_, name, false);
}

void Parser::pragma_id(const Token& pragma) {
  size_t pos = 0;
  Decl* decl = pragma_target(pragma, pos);
  if (decl == nullptr) {
    return;
  }
  std::optional<std::string> id = pragma_string(pragma, pos);
  if (!id || pos + 1 != pragma.pragma_args.size()) {
    diagnostics_.error(pragma_arg_location(pragma, pos),
                       "#pragma ID expects a name and a string literal");
    return;
  }
  if (!decl->explicit_id.empty() && decl->explicit_id != *id) {
    diagnostics_.error(
        pragma_arg_location(pragma, pos),
        "repository id of '" + decl->name + "' already set to '" + decl->explicit_id + "'");
    return;
  }
  decl->explicit_id = *id;
}

void Parser::pragma_version(const Token& pragma) {
  size_t pos = 0;
  Decl* decl = pragma_target(pragma, pos);
  if (decl == nullptr) {
    return;
  }
  const auto& args = pragma.pragma_args;
  bool valid = pos + 1 == args.size() && args[pos].kind == TokenKind::pp_number;
  std::string version = valid ? args[pos].text : "";
  size_t dot = version.find('.');
  valid = valid && dot != std::string::npos && dot > 0 && dot + 1 < version.size() &&
          version.find_first_not_of("0123456789.") == std::string::npos &&
          version.find('.', dot + 1) == std::string::npos;
  if (!valid) {
    diagnostics_.error(pragma_arg_location(pragma, pos),
                       "#pragma version expects a name and a version such as 1.2");
    return;
  }
  decl->version = version;
}

}  // namespace orb::idl
