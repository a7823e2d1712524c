// The IDL parser: a recursive-descent parser with one function per CORBA 3
// IDL construct. Because IDL requires declaration before use, it declares
// and resolves names as it reads, and evaluates constant expressions on the
// spot. It also applies #pragma prefix/ID/version and typeprefix/typeid. Each
// construct's semantic checks run as soon as it is complete, so diagnostics
// come out in source order.
#pragma once

#include <idl/ast.hpp>
#include <idl/diagnostics.hpp>
#include <idl/names.hpp>
#include <idl/token.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orb::idl {

/// Parses the lexed tokens of `main_file` into `spec`. Errors go to
/// `diagnostics`; the tree is then incomplete but still safe to walk.
void parse(std::vector<Token> tokens, const std::string& main_file, Specification& spec,
           Diagnostics& diagnostics);

class Parser {
 public:
  Parser(std::vector<Token> tokens, const std::string& main_file, Specification& spec,
         Diagnostics& diagnostics);

  void parse_specification();

 private:
  struct PrefixState {
    std::string prefix;
    Scope* anchor;
  };

  // Token stream (parser.cpp)
  const Token& tok() const { return tokens_[pos_]; }
  const Token& peek(size_t ahead) const;
  void advance();
  void handle_directive(const Token& token);
  bool accept_punct(std::string_view spelling);
  bool accept_keyword(std::string_view spelling);
  bool expect_punct(std::string_view spelling, std::string_view context);
  bool expect_keyword(std::string_view spelling, std::string_view context);
  std::optional<std::pair<std::string, SourceLocation>> expect_identifier(std::string_view context);
  void expected(std::string_view what, std::string_view context);
  void split_shift_right();
  void recover();

  // Scopes, declarations and repository-id state (parser.cpp)
  template <typename T>
  T* create(DeclKind kind, const std::string& name, const SourceLocation& location);
  bool add(Decl* decl);
  void enter(ScopeDecl* decl);
  void leave();
  bool open_scope(ScopeDecl* decl, std::string_view context);
  bool close_scope(std::string_view context);
  void handle_pragma(const Token& pragma);
  void pragma_prefix(const Token& pragma);
  void pragma_id(const Token& pragma);
  void pragma_version(const Token& pragma);
  Decl* pragma_target(const Token& pragma, size_t& pos);

  // Definitions (parser_decls.cpp)
  bool parse_definition();
  void parse_definitions_until_close();
  bool parse_module();
  bool parse_interface();
  bool parse_interface_forward(const std::string& name, const SourceLocation& location,
                               bool is_abstract, bool is_local);
  bool parse_interface_inheritance(Interface* interface);
  bool parse_export();
  bool parse_operation();
  bool parse_parameters(Operation* operation);
  bool parse_raises(std::vector<Exception*>& raises, std::string_view keyword);
  bool parse_context(Operation* operation);
  bool parse_attribute();
  bool parse_attribute_raises(std::vector<Attribute*>& attributes, bool readonly);
  bool parse_struct(TypePtr* as_type = nullptr);
  bool parse_members(std::vector<Member*>& members, Scope* scope, std::string_view owner);
  bool parse_union(TypePtr* as_type = nullptr);
  TypePtr parse_switch_type();
  bool parse_union_case(Union* u);
  bool parse_case_label(CaseLabel& label);
  bool parse_enum(TypePtr* as_type = nullptr);
  bool parse_typedef();
  bool parse_const();
  bool parse_exception();
  bool parse_native();
  bool parse_type_prefix();
  bool parse_type_id();
  bool parse_unsupported();
  void skip_construct();
  template <typename Forward, typename Full>
  Full* declare_forwardable(DeclKind full_kind, DeclKind forward_kind, const std::string& name,
                            const SourceLocation& location, bool definition);

  // Types (parser_types.cpp)
  TypePtr parse_type_spec(bool allow_constructed);
  TypePtr parse_simple_type();
  TypePtr parse_param_type(std::string_view context);
  TypePtr parse_base_type();
  TypePtr parse_integer_type();
  TypePtr parse_sequence();
  TypePtr parse_string_type(TypeKind kind);
  TypePtr parse_fixed_type(bool allow_bare);
  TypePtr parse_named_type();
  TypePtr parse_const_type();
  TypePtr make_type(TypeKind kind, const SourceLocation& location);
  std::optional<ScopedName> parse_scoped_name(std::string_view context);
  bool parse_declarator(TypePtr base, std::string& name, SourceLocation& location, TypePtr& type);
  std::optional<uint64_t> parse_positive_bound(std::string_view subject, bool in_angle_brackets);

  // Constant expressions (parser_types.cpp)
  std::unique_ptr<Expr> parse_const_expr();
  std::unique_ptr<Expr> parse_binary(int level);
  std::unique_ptr<Expr> parse_unary();
  std::unique_ptr<Expr> parse_primary();
  std::unique_ptr<Expr> parse_literal();

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  std::string main_file_;
  Specification& spec_;
  Diagnostics& diagnostics_;
  NameTable names_;
  Scope* scope_;
  std::vector<Decl*>* definitions_;
  std::vector<PrefixState> prefixes_;
  std::vector<std::pair<Scope*, std::vector<Decl*>*>> saved_;  // enclosing scopes of enter()
  bool syntax_error_ = false;
  bool in_angle_brackets_ = false;  // parsing the bound of a sequence, string or fixed  // set by
                                    // expected(); cleared by recover()
};

// Creates a declaration at the current scope with the prefix in effect.
template <typename T>
T* Parser::create(DeclKind kind, const std::string& name, const SourceLocation& location) {
  T* decl = spec_.make<T>(kind, name, location);
  decl->in_main_file = location.file == main_file_;
  decl->prefix = prefixes_.back().prefix;
  decl->prefix_anchor = prefixes_.back().anchor;
  decl->enclosing = scope_;
  return decl;
}

}  // namespace orb::idl
