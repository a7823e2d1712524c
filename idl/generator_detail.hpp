// Internals of the C++ generator, shared by its source files: the mapping of
// IDL names, types and values to C++ text (generator_names.cpp), the
// marshalling statements and TypeCode expressions (generator_codec.cpp),
// and the Generator class whose member functions emit one construct each,
// spread over generator_types.cpp, generator_proxy.cpp,
// generator_servant.cpp and generator.cpp.
#pragma once

#include <idl/ast.hpp>
#include <idl/generator.hpp>
#include <idl/generator_writer.hpp>

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace orb::idl::gen {

// ---------------------------------------------------------------------------
// Names and types (generator_names.cpp)

/// `name`, or `_cxx_name` when it is a C++ keyword.
std::string cxx_identifier(const std::string& name);
/// The C++ qualified name of a declaration: "::M::I::S", keywords escaped.
std::string qualified_name(const Decl& decl);
/// The definition behind a forward declaration; other declarations as is.
const Decl* definition_of(const Decl* decl);
/// The declaration a named type refers to, through forward declarations.
const Decl* named_decl(const Type& type);

/// True when the type, through typedefs, is an object reference.
bool is_reference(const Type& type);
/// True for types passed by value as `in` parameters: numbers, char,
/// wchar, boolean, octet and enums.
bool is_by_value(const Type& type);
/// True when a default-initialised C++ value of `type` is indeterminate
/// (numbers, characters, enums and arrays of them), so generated members
/// get a `{}` initializer.
bool needs_value_init(const Type& type);

/// The C++ type of a value of `type`.
std::string cxx_type(const Type& type);
/// The class an object reference type points at: `::orb::Object` or the
/// proxy class; used for typedefs of interfaces.
std::string cxx_class_type(const Type& type);
/// The C++ type of an `in` parameter: by value or `const T&`.
std::string in_param_type(const Type& type);

/// A C++ literal of `value` as a constant of `type`.
std::string const_literal(const ConstValue& value, const Type& type);
/// The C++ type of a constant declared with `type`.
std::string const_type(const Type& type, const ConstValue& value);
/// `"text"` with C++ escapes.
std::string string_literal(const std::string& text);

/// The fewest bytes a value of `type` takes in CDR, ignoring alignment.
size_t min_wire_size(const Type& type);
/// The same for a struct, union or exception.
size_t min_wire_size(const Decl& decl);

// ---------------------------------------------------------------------------
// Marshalling and TypeCodes (generator_codec.cpp)

/// True when marshalling `type` has to check a bound that its C++ type does
/// not carry: a bounded string or sequence, or a sequence or array of one.
/// Named structs and unions are not entered; their own codecs check them.
bool needs_expansion(const Type& type);
/// Writes the statements that encode `expr` (of IDL type `type`) with the
/// encoder named `encoder`, checking string and sequence bounds.
void emit_encode(CodeWriter& w, const Type& type, const std::string& encoder,
                 const std::string& expr, int depth = 0);
/// Writes the statements that decode into `expr` with the decoder `decoder`.
void emit_decode(CodeWriter& w, const Type& type, const std::string& decoder,
                 const std::string& expr, int depth = 0);

/// The call of the generated function that returns the TypeCode of `decl`:
/// "::M::_orb_tc_Point()".
std::string typecode_function(const Decl& decl);
/// A C++ expression that yields the TypeCode of `type`. `enclosing` holds
/// the structs and unions whose TypeCode is being built around it: a
/// reference to one of them becomes TypeCode::recursive.
std::string typecode_expr(const Type& type, std::vector<const Decl*>& enclosing);
/// A TypeCode factory call in the pieces it is wrapped at:
/// `call args, {items})`, where the member list is present when `has_list`.
struct TypeCodeParts {
  std::string call;  ///< up to and including the "("
  std::string args;  ///< the arguments before the member list
  std::vector<std::string> items;
  bool has_list = false;

  std::string joined() const;
};

/// The factory call that builds the TypeCode of a named type declared in
/// IDL (struct, union, enum, typedef, exception, interface).
TypeCodeParts typecode_parts(const Decl& decl, std::vector<const Decl*>& enclosing);
std::string typecode_factory(const Decl& decl, std::vector<const Decl*>& enclosing);

// ---------------------------------------------------------------------------
// Unions (generator_names.cpp)

/// What the generated code needs to know about one union.
struct UnionModel {
  const Union* decl = nullptr;
  const Type* discriminator = nullptr;  ///< resolved through typedefs
  bool has_explicit_default = false;
  bool has_implicit_default = false;  ///< some discriminator value selects no branch
  std::string default_label;          ///< a C++ value no case label uses
  int64_t default_label_number = 0;
  /// Variant index of branch i: shifted by one when index 0 holds the
  /// std::monostate of the implicit default.
  size_t index_of(size_t branch) const { return branch + (has_implicit_default ? 1 : 0); }
};

UnionModel make_union_model(const Union& u);
/// The C++ case label of one union label: `5`, `'a'`, `::M::Color::red`.
std::string case_label(const CaseLabel& label, const Type& discriminator);
/// The 64-bit number TypeCodes use for a union label.
int64_t label_number(const ConstValue& value);

// ---------------------------------------------------------------------------
// Operations and attributes in one form (generator_proxy.cpp)

struct ParamModel {
  std::string name;  ///< C++ identifier
  const Type* type = nullptr;
  ParamDirection direction = ParamDirection::in;
};

/// An operation, or one accessor of an attribute, as proxies and skeletons
/// see it.
struct OperationModel {
  const Decl* decl = nullptr;    ///< the operation or attribute
  std::string wire_name;         ///< the GIOP operation name: "op", "_get_a", "_set_a"
  std::string method;            ///< C++ member function name
  const Type* result = nullptr;  ///< nullptr for void
  std::vector<ParamModel> params;
  std::vector<Exception*> raises;
  bool oneway = false;

  bool has_outputs() const;  ///< any out or inout parameter
  /// The C++ signature parameters: "int32_t amount", "std::string& note".
  std::vector<std::string> signature(bool in_only) const;
  std::string result_type() const;  ///< "void" or the C++ return type
};

/// The first type of an operation's result and parameters, or of an
/// attribute, that cannot be marshalled: a native type other than
/// CORBA::TypeCode, or a local interface. Proxies and skeletons leave such
/// operations and attributes out.
const Type* unmarshallable_type(const Decl& operation_or_attribute);
/// The operations and attribute accessors of `interface`, in source order.
std::vector<OperationModel> operations_of(const Interface& interface);

// ---------------------------------------------------------------------------
// The generator

class Generator {
 public:
  explicit Generator(const Specification& spec);

  std::vector<GeneratedFile> run();

 private:
  // File structure (generator.cpp)
  std::string banner() const;
  std::string header_file();
  std::string source_file();
  std::string servant_header_file();
  std::string servant_source_file();
  std::vector<std::string> included_bases() const;
  /// "// X.idl:12" for a construct.
  std::string where(const Decl& decl) const;
  /// True when `decl` was declared (or, for a forward-declared type,
  /// defined) in the main file. The definition's location decides because
  /// Decl::in_main_file keeps the value of the first forward declaration.
  bool in_main(const Decl& decl) const { return decl.location.file == spec_.main_file; }
  /// True when `decl` is of the main file or a module holding some of it;
  /// with `servants_only`, only unconstrained interfaces count.
  bool has_main_content(const Decl& decl, bool servants_only = false) const;

  // Header: types, constants and proxy classes (generator_types.cpp)
  void header_definitions(const std::vector<Decl*>& definitions);
  void header_definition(const Decl& decl);
  void header_module(const Module& module);
  void header_forward(const Decl& decl);
  void header_struct(const Struct& s);
  void header_union(const Union& u);
  void header_union_accessors(const UnionModel& model);
  void header_union_branch_of(const UnionModel& model);
  void header_enum(const Enum& e);
  void header_alias(const Alias& alias);
  void header_constant(const Constant& constant);
  void header_exception(const Exception& exception);
  void header_native(const Native& native);
  void header_typecode_declaration(const Decl& decl);
  void header_codec_declarations();
  void header_typecode_of();

  // Source: TypeCodes, exceptions and codecs (generator_types.cpp)
  void source_definitions(const std::vector<Decl*>& definitions);
  void source_definition(const Decl& decl);
  void source_typecode(const Decl& decl);
  void source_exception(const Exception& exception);
  void source_codecs();
  void source_codec_struct(const Decl& decl, const std::vector<Member*>& members);
  void source_codec_union(const Union& u);
  void source_codec_enum(const Enum& e);

  // Proxies (generator_proxy.cpp)
  void header_interface(const Interface& interface);
  void header_local_interface(const Interface& interface);
  void header_operation(const OperationModel& op, bool pure_virtual);
  void header_result_struct(const OperationModel& op);
  void source_interface(const Interface& interface);
  void source_proxy_constructor(const Interface& interface);
  void source_raises(const Interface& interface, const OperationModel& op);
  void source_operation(const Interface& interface, const OperationModel& op);
  void source_async_operation(const Interface& interface, const OperationModel& op);

  // Skeletons (generator_servant.cpp)
  void servant_definitions(const std::vector<Decl*>& definitions, bool header);
  void servant_header(const Interface& interface);
  void servant_source(const Interface& interface);
  void servant_is_a(const Interface& interface);
  void servant_dispatch(const Interface& interface, const std::vector<OperationModel>& ops);
  void servant_entry(const Interface& interface, const OperationModel& op);
  void servant_decode_arguments(const std::vector<const ParamModel*>& inputs);
  void servant_encode_results(const OperationModel& op);

  const Specification& spec_;
  std::string base_;         // main file name without directory and extension
  std::string source_name_;  // main file name without directory
  CodeWriter w_;
  std::vector<const Decl*> codec_decls_;     // structs, unions, enums, exceptions
  std::vector<const Decl*> typecode_decls_;  // every named type with a TypeCodeOf
};

/// True when `decl` is declared directly inside an interface.
bool in_interface(const Decl& decl);
/// The base interfaces of `interface` that generated C++ classes derive
/// from: built-in CORBA interfaces have no C++ class and are left out.
std::vector<const Interface*> generated_bases(const Interface& interface);
/// Every base of `interface`, transitively, bases before derived, each once.
std::vector<const Interface*> all_bases(const Interface& interface);

}  // namespace orb::idl::gen
