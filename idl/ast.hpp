// The abstract syntax tree of an IDL specification. The parser builds it and
// resolves every scoped name to its declaration as it goes, semantic checks
// store constant values on it, and a later pass fills in repository ids, so
// a code generator can walk it without further lookups. Every node carries
// the location it was written at.
//
// Ownership: the Specification owns every declaration and scope; nodes point
// at each other with plain pointers that live as long as the Specification.
#pragma once

#include <idl/source.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace orb::idl {

/// A signed 128-bit integer: wide enough for every 64-bit IDL integer and
/// for the intermediate results of constant expressions.
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

struct Decl;
struct Scope;
struct Enumerator;

enum class TypeKind {
  void_type,
  short_type,
  long_type,
  long_long_type,
  unsigned_short_type,
  unsigned_long_type,
  unsigned_long_long_type,
  float_type,
  double_type,
  long_double_type,
  char_type,
  wchar_type,
  boolean_type,
  octet_type,
  any_type,
  object_type,
  value_base_type,
  string_type,
  wstring_type,
  fixed_type,
  sequence_type,
  array_type,
  named_type,  ///< a scoped name; decl points at what it names
};

/// A type as written at one place. Arrays are folded in from declarators, so
/// `long a[2][3]` is an array_type with dimensions {2, 3} of long_type.
struct Type {
  TypeKind kind = TypeKind::void_type;
  SourceLocation location;
  uint64_t bound = 0;                ///< string, wstring and sequence: 0 when unbounded
  std::shared_ptr<Type> element;     ///< sequence and array element
  std::vector<uint64_t> dimensions;  ///< array sizes, outermost first
  uint32_t digits = 0;               ///< fixed<digits, scale>
  uint32_t scale = 0;
  std::string name;      ///< named_type: the scoped name as written
  Decl* decl = nullptr;  ///< named_type: the declaration it resolved to
};
using TypePtr = std::shared_ptr<Type>;

enum class ConstKind {
  none,
  integer,
  floating,
  fixed,
  character,
  wide_character,
  boolean,
  string,
  wide_string,
  enumerator,
};

/// The value of a constant expression.
struct ConstValue {
  ConstKind kind = ConstKind::none;
  Int128 integer = 0;  ///< integer; for fixed, the digits as an integer
  uint32_t scale = 0;  ///< fixed: digits after the point
  long double floating = 0;
  uint32_t character = 0;  ///< character and wide_character code
  bool boolean = false;
  std::string string;
  std::u32string wide_string;
  const Enumerator* enumerator = nullptr;
};

/// A constant expression as written, kept for generators that want to echo it.
struct Expr {
  enum class Kind { literal, name, unary, binary };
  Kind kind = Kind::literal;
  SourceLocation location;
  std::string op;               ///< unary or binary operator spelling
  ConstValue literal;           ///< literal
  std::string name;             ///< name: the scoped name as written
  Decl* decl = nullptr;         ///< name: the constant or enumerator it names
  std::unique_ptr<Expr> left;   ///< unary operand or left operand
  std::unique_ptr<Expr> right;  ///< right operand
};

enum class DeclKind {
  module,
  interface,
  interface_forward,
  structure,
  structure_forward,
  union_type,
  union_forward,
  enumeration,
  enumerator,
  alias,  ///< one declarator of a typedef
  constant,
  exception,
  native,
  operation,
  parameter,
  attribute,
  member,       ///< struct, exception or union member
  unsupported,  ///< valuetype, eventtype, component or home in an included file
};

/// Base of every named declaration.
struct Decl {
  Decl(DeclKind k, std::string n, SourceLocation l)
      : kind(k), name(std::move(n)), location(std::move(l)) {}
  virtual ~Decl() = default;

  DeclKind kind;
  std::string name;  ///< the identifier, without an escaping '_'
  SourceLocation location;
  Scope* enclosing = nullptr;  ///< the scope the name is declared in
  bool in_main_file = false;   ///< false for declarations read from #include files
  bool builtin = false;        ///< predeclared by the compiler; a real declaration replaces it

  /// Repository id such as "IDL:omg.org/CosNaming/NamingContext:1.0"; set by
  /// assign_repository_ids() for every declaration that has one.
  std::string repository_id;
  std::string prefix;              ///< #pragma prefix in effect at the declaration
  Scope* prefix_anchor = nullptr;  ///< the scope that #pragma prefix appeared in
  std::string explicit_id;         ///< from #pragma ID or typeid
  std::string version;             ///< from #pragma version; empty means 1.0
  std::string type_prefix;         ///< from typeprefix, on scopes

  /// The fully qualified name, such as "::CosNaming::NamingContext".
  std::string scoped_name() const;
};

/// A declaration that opens a scope and keeps its nested definitions in order.
struct ScopeDecl : Decl {
  using Decl::Decl;
  Scope* scope = nullptr;
  std::vector<Decl*> definitions;  ///< nested definitions in source order
};

struct Module : ScopeDecl {
  using ScopeDecl::ScopeDecl;
};

struct Interface : ScopeDecl {
  using ScopeDecl::ScopeDecl;
  bool is_abstract = false;
  bool is_local = false;
  bool defined = false;  ///< false while only forward-declared
  SourceLocation forward_location;
  std::vector<Interface*> bases;
};

/// `interface I;` at its place in the tree; target is shared with the definition.
struct InterfaceForward : Decl {
  using Decl::Decl;
  Interface* target = nullptr;
};

struct Member : Decl {
  using Decl::Decl;
  TypePtr type;
};

struct Struct : ScopeDecl {
  using ScopeDecl::ScopeDecl;
  bool defined = false;
  SourceLocation forward_location;
  std::vector<Member*> members;
};

/// `struct S;` or `union U;` at its place in the tree.
struct StructForward : Decl {
  using Decl::Decl;
  ScopeDecl* target = nullptr;
};

struct CaseLabel {
  SourceLocation location;
  bool is_default = false;
  std::unique_ptr<Expr> expr;
  ConstValue value;
};

struct UnionBranch : Member {
  using Member::Member;
  std::vector<CaseLabel> labels;
};

struct Union : ScopeDecl {
  using ScopeDecl::ScopeDecl;
  bool defined = false;
  SourceLocation forward_location;
  TypePtr discriminator;
  std::vector<UnionBranch*> branches;
};

struct Enum : Decl {
  using Decl::Decl;
  std::vector<Enumerator*> enumerators;
};

/// An enumerator; declared in the scope that encloses its enum.
struct Enumerator : Decl {
  using Decl::Decl;
  Enum* owner = nullptr;
  uint32_t value = 0;
};

struct Alias : Decl {
  using Decl::Decl;
  TypePtr type;
};

struct Constant : Decl {
  using Decl::Decl;
  TypePtr type;
  std::unique_ptr<Expr> expr;
  ConstValue value;
};

struct Exception : ScopeDecl {
  using ScopeDecl::ScopeDecl;
  std::vector<Member*> members;
};

struct Native : Decl {
  using Decl::Decl;
};

enum class ParamDirection { in, out, inout };

struct Parameter : Decl {
  using Decl::Decl;
  ParamDirection direction = ParamDirection::in;
  TypePtr type;
};

struct Operation : ScopeDecl {
  using ScopeDecl::ScopeDecl;
  bool oneway = false;
  TypePtr result;
  std::vector<Parameter*> parameters;
  std::vector<Exception*> raises;
  std::vector<std::string> contexts;
};

struct Attribute : Decl {
  using Decl::Decl;
  bool readonly = false;
  TypePtr type;
  std::vector<Exception*> get_raises;
  std::vector<Exception*> set_raises;
};

/// A construct the front end recognises but does not support; kept so names
/// declared by it still resolve in files that include it.
struct Unsupported : Decl {
  using Decl::Decl;
  std::string construct;  ///< "valuetype", "eventtype", "component" or "home"
};

/// The names declared in one IDL scope. Reopened modules share one Scope.
struct Scope {
  Scope* parent = nullptr;
  ScopeDecl* owner = nullptr;  ///< nullptr for the global scope
  /// Declarations by lower-case name, because IDL names that differ only in
  /// case collide.
  std::map<std::string, Decl*> symbols;
  /// Names used here but found in an enclosing scope, by lower-case name:
  /// they may not be redeclared here with another meaning.
  struct Use {
    std::string spelling;
    Decl* decl;
    SourceLocation location;
  };
  std::map<std::string, Use> uses;
};

/// A parsed and checked IDL file with everything it includes.
struct Specification {
  std::string main_file;
  Scope* global = nullptr;
  std::vector<Decl*> definitions;  ///< top-level definitions in source order

  std::vector<std::unique_ptr<Decl>> decls;
  std::vector<std::unique_ptr<Scope>> scopes;

  /// Creates a declaration owned by this specification.
  template <typename T>
  T* make(DeclKind kind, std::string name, SourceLocation location) {
    auto node = std::make_unique<T>(kind, std::move(name), std::move(location));
    T* raw = node.get();
    decls.push_back(std::move(node));
    return raw;
  }
  /// Creates a scope owned by this specification.
  Scope* make_scope(Scope* parent, ScopeDecl* owner);
};

/// Follows typedefs until a type that is not an alias.
const Type& resolve_alias(const Type& type);

/// The IDL spelling of a type for messages, such as "unsigned long" or "::M::S".
std::string describe(const Type& type);

/// True for the integer types (short ... unsigned long long) and octet excluded.
bool is_integer(TypeKind kind);

/// Names a declaration kind for messages: "interface", "struct", ...
const char* describe(DeclKind kind);

}  // namespace orb::idl
