// Types, unions, enums and constant expressions of the IDL parser.
#include <idl/checks.hpp>
#include <idl/const_eval.hpp>
#include <idl/parser.hpp>

#include <array>

namespace orb::idl {

TypePtr Parser::make_type(TypeKind kind, const SourceLocation& location) {
  auto type = std::make_shared<Type>();
  type->kind = kind;
  type->location = location;
  return type;
}

TypePtr Parser::parse_type_spec(bool allow_constructed) {
  if (allow_constructed) {
    TypePtr type;
    if (tok().is_keyword("struct")) {
      return parse_struct(&type) ? type : nullptr;
    }
    if (tok().is_keyword("union")) {
      return parse_union(&type) ? type : nullptr;
    }
    if (tok().is_keyword("enum")) {
      return parse_enum(&type) ? type : nullptr;
    }
  }
  return parse_simple_type();
}

TypePtr Parser::parse_simple_type() {
  if (TypePtr base = parse_base_type()) {
    return base;
  }
  if (tok().is_keyword("sequence"))
    return parse_sequence();
  if (tok().is_keyword("string"))
    return parse_string_type(TypeKind::string_type);
  if (tok().is_keyword("wstring"))
    return parse_string_type(TypeKind::wstring_type);
  if (tok().is_keyword("fixed"))
    return parse_fixed_type(false);
  if (tok().kind == TokenKind::identifier || tok().is_punct("::"))
    return parse_named_type();
  expected("type", "");
  return nullptr;
}

// Operation results, parameters and attributes take no anonymous sequences
// or fixed types.
TypePtr Parser::parse_param_type(std::string_view context) {
  if (tok().is_keyword("sequence") || tok().is_keyword("fixed")) {
    diagnostics_.error(tok().location, "an anonymous " + tok().text + " type cannot be used " +
                                           std::string(context) + "; declare it with typedef");
    syntax_error_ = true;
    return nullptr;
  }
  if (tok().kind == TokenKind::keyword && !tok().is_keyword("string") &&
      !tok().is_keyword("wstring") && !tok().is_keyword("Object") &&
      !tok().is_keyword("ValueBase")) {
    if (TypePtr base = parse_base_type()) {
      return base;
    }
    expected("type", context);
    return nullptr;
  }
  return parse_simple_type();
}

TypePtr Parser::parse_base_type() {
  static constexpr std::array<std::pair<std::string_view, TypeKind>, 11> kSimple = {{
      {"float", TypeKind::float_type},
      {"double", TypeKind::double_type},
      {"char", TypeKind::char_type},
      {"wchar", TypeKind::wchar_type},
      {"boolean", TypeKind::boolean_type},
      {"octet", TypeKind::octet_type},
      {"any", TypeKind::any_type},
      {"Object", TypeKind::object_type},
      {"ValueBase", TypeKind::value_base_type},
      {"short", TypeKind::short_type},
      {"void", TypeKind::void_type},
  }};
  if (tok().is_keyword("unsigned") || tok().is_keyword("long")) {
    return parse_integer_type();
  }
  for (const auto& [word, kind] : kSimple) {
    if (tok().is_keyword(word) && kind != TypeKind::void_type) {
      TypePtr type = make_type(kind, tok().location);
      advance();
      return type;
    }
  }
  return nullptr;
}

// short, long, long long, long double and their unsigned forms.
TypePtr Parser::parse_integer_type() {
  SourceLocation location = tok().location;
  bool is_unsigned = accept_keyword("unsigned");
  if (accept_keyword("short")) {
    return make_type(is_unsigned ? TypeKind::unsigned_short_type : TypeKind::short_type, location);
  }
  if (!expect_keyword("long", "after 'unsigned'")) {
    return nullptr;
  }
  if (accept_keyword("long")) {
    return make_type(is_unsigned ? TypeKind::unsigned_long_long_type : TypeKind::long_long_type,
                     location);
  }
  if (!is_unsigned && accept_keyword("double")) {
    return make_type(TypeKind::long_double_type, location);
  }
  return make_type(is_unsigned ? TypeKind::unsigned_long_type : TypeKind::long_type, location);
}

TypePtr Parser::parse_sequence() {
  TypePtr type = make_type(TypeKind::sequence_type, tok().location);
  advance();  // sequence
  if (!expect_punct("<", "after 'sequence'")) {
    return nullptr;
  }
  type->element = parse_simple_type();
  if (!type->element) {
    return nullptr;
  }
  if (accept_punct(",")) {
    std::optional<uint64_t> bound = parse_positive_bound("sequence bound", true);
    if (!bound) {
      return nullptr;
    }
    type->bound = *bound;
  }
  return expect_punct(">", "to close the sequence type") ? type : nullptr;
}

TypePtr Parser::parse_string_type(TypeKind kind) {
  TypePtr type = make_type(kind, tok().location);
  advance();  // string or wstring
  if (!accept_punct("<")) {
    return type;
  }
  std::optional<uint64_t> bound = parse_positive_bound("string bound", true);
  if (!bound) {
    return nullptr;
  }
  type->bound = *bound;
  return expect_punct(">", "to close the string bound") ? type : nullptr;
}

TypePtr Parser::parse_fixed_type(bool allow_bare) {
  TypePtr type = make_type(TypeKind::fixed_type, tok().location);
  advance();  // fixed
  if (allow_bare && !tok().is_punct("<")) {
    return type;
  }
  if (!expect_punct("<", "after 'fixed'")) {
    return nullptr;
  }
  std::optional<uint64_t> digits = parse_positive_bound("number of fixed-point digits", true);
  if (!digits || !expect_punct(",", "between the digits and the scale of 'fixed'")) {
    return nullptr;
  }
  SourceLocation scale_location = tok().location;
  std::unique_ptr<Expr> scale_expr = parse_const_expr();
  if (!scale_expr) {
    return nullptr;
  }
  std::optional<ConstValue> scale = evaluate_value(*scale_expr, diagnostics_);
  if (*digits > 31) {
    diagnostics_.error(type->location, "fixed-point types have at most 31 digits");
  } else if (scale && (scale->kind != ConstKind::integer || scale->integer < 0 ||
                       scale->integer > static_cast<Int128>(*digits))) {
    diagnostics_.error(scale_location, "the scale of 'fixed' must be between 0 and its digits");
  } else if (scale) {
    type->digits = static_cast<uint32_t>(*digits);
    type->scale = static_cast<uint32_t>(scale->integer);
  }
  return expect_punct(">", "to close the fixed type") ? type : nullptr;
}

std::optional<ScopedName> Parser::parse_scoped_name(std::string_view context) {
  ScopedName name;
  name.location = tok().location;
  if (accept_punct("::")) {
    name.absolute = true;
  }
  do {
    if (tok().kind != TokenKind::identifier) {
      expected("identifier", context);
      return std::nullopt;
    }
    name.parts.push_back(tok().text);
    name.locations.push_back(tok().location);
    advance();
  } while (accept_punct("::"));
  return name;
}

namespace {

bool names_a_type(DeclKind kind) {
  switch (kind) {
    case DeclKind::alias:
    case DeclKind::structure:
    case DeclKind::union_type:
    case DeclKind::enumeration:
    case DeclKind::interface:
    case DeclKind::native:
    case DeclKind::unsupported:
      return true;
    default:
      return false;
  }
}

}  // namespace

TypePtr Parser::parse_named_type() {
  std::optional<ScopedName> name = parse_scoped_name("");
  if (!name) {
    return nullptr;
  }
  TypePtr type = make_type(TypeKind::named_type, name->location);
  type->name = name->text();
  Decl* decl = names_.lookup(scope_, *name);
  if (decl == nullptr) {
    return type;  // reported; the tree keeps the unresolved name
  }
  if (!names_a_type(decl->kind)) {
    diagnostics_.error(
        name->location,
        "'" + name->text() + "' is " +
            (decl->kind == DeclKind::enumerator || decl->kind == DeclKind::exception ||
                     decl->kind == DeclKind::attribute || decl->kind == DeclKind::operation ||
                     decl->kind == DeclKind::enumeration
                 ? "an "
                 : "a ") +
            describe(decl->kind) + ", not a type",
        {{decl->location, "'" + decl->name + "' is declared here"}});
    return type;
  }
  // A use in the file that declares the construct adds nothing to the error
  // already reported at its declaration.
  if (decl->kind == DeclKind::unsupported && name->location.file == main_file_ &&
      !decl->in_main_file) {
    diagnostics_.error(name->location,
                       "'" + name->text() + "' is a " + static_cast<Unsupported*>(decl)->construct +
                           ", and " + static_cast<Unsupported*>(decl)->construct +
                           " is not supported yet",
                       {{decl->location, "'" + decl->name + "' is declared here"}});
  }
  type->decl = decl;
  return type;
}

TypePtr Parser::parse_const_type() {
  if (tok().is_keyword("fixed")) {
    return parse_fixed_type(true);
  }
  SourceLocation location = tok().location;
  TypePtr type = parse_simple_type();
  if (!type) {
    return nullptr;
  }
  if (!is_valid_const_type(resolve_alias(*type))) {
    diagnostics_.error(location, "a constant cannot have type '" + describe(*type) + "'");
    syntax_error_ = true;
    return nullptr;
  }
  return type;
}

bool Parser::parse_declarator(TypePtr base, std::string& name, SourceLocation& location,
                              TypePtr& type) {
  auto id = expect_identifier("in declarator");
  if (!id) {
    return false;
  }
  name = id->first;
  location = id->second;
  type = base;
  if (!tok().is_punct("[")) {
    return true;
  }
  type = make_type(TypeKind::array_type, tok().location);
  type->element = base;
  while (accept_punct("[")) {
    std::optional<uint64_t> size = parse_positive_bound("array size", false);
    if (!size || !expect_punct("]", "after the array size")) {
      return false;
    }
    type->dimensions.push_back(*size);
  }
  return true;
}

std::optional<uint64_t> Parser::parse_positive_bound(std::string_view subject,
                                                     bool in_angle_brackets) {
  SourceLocation location = tok().location;
  // Inside `<...>` a '>>' closes two brackets instead of shifting.
  bool outer = in_angle_brackets_;
  in_angle_brackets_ = in_angle_brackets;
  std::unique_ptr<Expr> expr = parse_const_expr();
  in_angle_brackets_ = outer;
  if (!expr) {
    return std::nullopt;
  }
  std::optional<ConstValue> value = evaluate_value(*expr, diagnostics_);
  if (!value) {
    return 1;  // reported; a stand-in keeps the parse going
  }
  if (value->kind != ConstKind::integer || value->integer <= 0 ||
      value->integer > static_cast<Int128>(UINT32_MAX)) {
    diagnostics_.error(
        location,
        std::string(subject) + " must be a positive integer below 2^32, not " + describe(*value));
    return 1;
  }
  return static_cast<uint64_t>(value->integer);
}

// ---------------------------------------------------------------------------
// Unions and enums

bool Parser::parse_union(TypePtr* as_type) {
  advance();  // union
  auto id = expect_identifier("after 'union'");
  if (!id) {
    return false;
  }
  if (!tok().is_keyword("switch") && as_type == nullptr && tok().is_punct(";")) {
    declare_forwardable<StructForward, Union>(DeclKind::union_type, DeclKind::union_forward,
                                              id->first, id->second, false);
    return true;
  }
  auto* u = declare_forwardable<StructForward, Union>(DeclKind::union_type, DeclKind::union_forward,
                                                      id->first, id->second, true);
  if (!expect_keyword("switch", "after union name") || !expect_punct("(", "after 'switch'")) {
    return false;
  }
  enter(u);
  u->discriminator = parse_switch_type();
  bool ok = u->discriminator && expect_punct(")", "after the discriminator type") &&
            expect_punct("{", "to open the union body");
  while (ok && !tok().is_punct("}") && tok().kind != TokenKind::end_of_file) {
    ok = parse_union_case(u);
  }
  if (!ok) {
    leave();
    return false;
  }
  if (!close_scope("at end of union")) {
    return false;
  }
  check_union(*u, diagnostics_);
  u->defined = true;
  if (as_type != nullptr) {
    *as_type = make_type(TypeKind::named_type, id->second);
    (*as_type)->name = id->first;
    (*as_type)->decl = u;
  }
  return true;
}

TypePtr Parser::parse_switch_type() {
  SourceLocation location = tok().location;
  TypePtr type;
  if (tok().is_keyword("enum")) {
    if (!parse_enum(&type)) {
      return nullptr;
    }
  } else {
    type = parse_simple_type();
  }
  if (type && !is_valid_discriminator(resolve_alias(*type))) {
    diagnostics_.error(location,
                       "a union discriminator must be an integer, char, wchar, boolean "
                       "or enum type, not '" +
                           describe(*type) + "'");
  }
  return type;
}

bool Parser::parse_union_case(Union* u) {
  std::vector<CaseLabel> labels;
  while (tok().is_keyword("case") || tok().is_keyword("default")) {
    labels.emplace_back();
    if (!parse_case_label(labels.back())) {
      return false;
    }
  }
  if (labels.empty()) {
    expected("'case' or 'default'", "in union body");
    return false;
  }
  TypePtr base = parse_type_spec(true);
  std::string name;
  SourceLocation location;
  TypePtr type;
  if (!base || !parse_declarator(base, name, location, type)) {
    return false;
  }
  auto* branch = create<UnionBranch>(DeclKind::member, name, location);
  branch->type = type;
  const Type& discriminator = resolve_alias(*u->discriminator);
  for (CaseLabel& label : labels) {
    if (!label.is_default && is_valid_discriminator(discriminator)) {
      if (auto value = evaluate_constant(*label.expr, discriminator, diagnostics_)) {
        label.value = std::move(*value);
      }
    }
  }
  branch->labels = std::move(labels);
  if (names_.declare(u->scope, branch)) {
    u->branches.push_back(branch);
    check_complete(*branch, diagnostics_);
  }
  return expect_punct(";", "after union member");
}

bool Parser::parse_case_label(CaseLabel& label) {
  label.location = tok().location;
  if (accept_keyword("default")) {
    label.is_default = true;
  } else {
    advance();  // case
    label.expr = parse_const_expr();
    if (!label.expr) {
      return false;
    }
  }
  return expect_punct(":", "after case label");
}

bool Parser::parse_enum(TypePtr* as_type) {
  advance();  // enum
  auto id = expect_identifier("after 'enum'");
  if (!id || !expect_punct("{", "after enum name")) {
    return false;
  }
  auto* e = create<Enum>(DeclKind::enumeration, id->first, id->second);
  add(e);
  do {
    auto enumerator_id = expect_identifier("in enum");
    if (!enumerator_id) {
      return false;
    }
    auto* enumerator =
        create<Enumerator>(DeclKind::enumerator, enumerator_id->first, enumerator_id->second);
    enumerator->owner = e;
    enumerator->value = static_cast<uint32_t>(e->enumerators.size());
    if (names_.declare(scope_, enumerator)) {
      e->enumerators.push_back(enumerator);
    }
  } while (accept_punct(","));
  if (!expect_punct("}", "at end of enum")) {
    return false;
  }
  if (as_type != nullptr) {
    *as_type = make_type(TypeKind::named_type, id->second);
    (*as_type)->name = id->first;
    (*as_type)->decl = e;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Constant expressions

namespace {

// Binary operators by precedence level, loosest first.
constexpr std::array<std::array<std::string_view, 2>, 6> kLevels = {{
    {"|", ""},
    {"^", ""},
    {"&", ""},
    {"<<", ">>"},
    {"+", "-"},
    {"*", "/"},
}};

bool at_level(const Token& token, size_t level) {
  if (token.kind != TokenKind::punctuator) {
    return false;
  }
  if (level == 5 && token.text == "%") {
    return true;
  }
  return token.text == kLevels[level][0] ||
         (!kLevels[level][1].empty() && token.text == kLevels[level][1]);
}

}  // namespace

std::unique_ptr<Expr> Parser::parse_const_expr() {
  return parse_binary(0);
}

std::unique_ptr<Expr> Parser::parse_binary(int level) {
  auto next = [&]() {
    return level + 1 < static_cast<int>(kLevels.size()) ? parse_binary(level + 1) : parse_unary();
  };
  std::unique_ptr<Expr> left = next();
  while (left && at_level(tok(), static_cast<size_t>(level)) &&
         !(in_angle_brackets_ && tok().is_punct(">>"))) {
    auto node = std::make_unique<Expr>();
    node->kind = Expr::Kind::binary;
    node->op = tok().text;
    node->location = left->location;
    advance();
    node->left = std::move(left);
    node->right = next();
    if (!node->right) {
      return nullptr;
    }
    left = std::move(node);
  }
  return left;
}

std::unique_ptr<Expr> Parser::parse_unary() {
  if (tok().is_punct("-") || tok().is_punct("+") || tok().is_punct("~")) {
    auto node = std::make_unique<Expr>();
    node->kind = Expr::Kind::unary;
    node->op = tok().text;
    node->location = tok().location;
    advance();
    node->left = parse_primary();
    return node->left ? std::move(node) : nullptr;
  }
  return parse_primary();
}

std::unique_ptr<Expr> Parser::parse_primary() {
  if (accept_punct("(")) {
    std::unique_ptr<Expr> inner = parse_const_expr();
    if (!inner || !expect_punct(")", "in constant expression")) {
      return nullptr;
    }
    return inner;
  }
  if (tok().kind != TokenKind::identifier && !tok().is_punct("::")) {
    return parse_literal();
  }
  std::optional<ScopedName> name = parse_scoped_name("in constant expression");
  if (!name) {
    return nullptr;
  }
  auto node = std::make_unique<Expr>();
  node->kind = Expr::Kind::name;
  node->location = name->location;
  node->name = name->text();
  node->decl = names_.lookup(scope_, *name);
  if (node->decl != nullptr && node->decl->kind != DeclKind::constant &&
      node->decl->kind != DeclKind::enumerator) {
    diagnostics_.error(name->location, "'" + name->text() + "' is not a constant or enumerator",
                       {{node->decl->location, "'" + node->decl->name + "' is declared here"}});
    node->decl = nullptr;
  }
  return node;
}

std::unique_ptr<Expr> Parser::parse_literal() {
  auto node = std::make_unique<Expr>();
  node->location = tok().location;
  ConstValue& value = node->literal;
  const Token& t = tok();
  switch (t.kind) {
    case TokenKind::integer_literal:
      value.kind = ConstKind::integer;
      value.integer = static_cast<Int128>(t.integer);
      break;
    case TokenKind::floating_literal:
      value.kind = ConstKind::floating;
      value.floating = t.floating;
      break;
    case TokenKind::fixed_literal:
      value = fixed_from_digits(t.digits, t.scale);
      break;
    case TokenKind::char_literal:
    case TokenKind::wchar_literal:
      value.kind =
          t.kind == TokenKind::char_literal ? ConstKind::character : ConstKind::wide_character;
      value.character = static_cast<uint32_t>(t.integer);
      break;
    case TokenKind::string_literal:
      value.kind = ConstKind::string;
      value.string = t.narrow;
      break;
    case TokenKind::wstring_literal:
      value.kind = ConstKind::wide_string;
      value.wide_string = t.wide;
      break;
    case TokenKind::keyword:
      if (t.text != "TRUE" && t.text != "FALSE") {
        expected("constant expression", "");
        return nullptr;
      }
      value.kind = ConstKind::boolean;
      value.boolean = t.text == "TRUE";
      break;
    default:
      expected("constant expression", "");
      return nullptr;
  }
  advance();
  return node;
}

}  // namespace orb::idl
