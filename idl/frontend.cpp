// The phases of compile_file() in order.
#include <idl/frontend.hpp>

#include <idl/checks.hpp>
#include <idl/lexer.hpp>
#include <idl/parser.hpp>
#include <idl/repository_id.hpp>

namespace orb::idl {
namespace {

constexpr const char* kPreludeFile = "<built-in>";

// Declarations of module CORBA that IDL files use without declaring them:
// the pseudo-objects, the service-information types of the ORB interface,
// and Policy and Current in their CORBA 2 form (not local), which the OMG
// service IDL inherits from.
// They are built in (Decl::builtin), so a real declaration of the same name,
// for example from the interface repository's IDL, replaces them.
constexpr const char* kPrelude = R"(#pragma prefix "omg.org"
module CORBA {
  native TypeCode;
  native Principal;
  native Environment;
  native NamedValue;
  native NVList;
  native Request;
  native ServerRequest;
  native ExceptionList;
  native ContextList;
  native ORB;
  interface InterfaceDef;
  typedef unsigned short ServiceType;
  typedef unsigned long ServiceOption;
  typedef unsigned long ServiceDetailType;
  typedef unsigned long PolicyType;
  interface Policy {
    readonly attribute PolicyType policy_type;
    Policy copy();
    void destroy();
  };
  typedef sequence<Policy> PolicyList;
  interface Current {};
};
)";

void parse_prelude(const std::string& main_file, SourceFiles& sources, Specification& spec,
                   Diagnostics& diagnostics) {
  sources.add(kPreludeFile, kPrelude);
  std::vector<Token> tokens = preprocess(kPreludeFile, sources, diagnostics, {});
  parse(lex(std::move(tokens), diagnostics), main_file, spec, diagnostics);
  for (const auto& decl : spec.decls) {
    decl->builtin = true;
  }
}

}  // namespace

std::unique_ptr<Specification> compile_file(const std::string& path,
                                            const PreprocessorOptions& options,
                                            SourceFiles& sources, Diagnostics& diagnostics) {
  auto spec = std::make_unique<Specification>();
  spec->main_file = path;
  std::vector<Token> tokens = preprocess(path, sources, diagnostics, options);
  if (diagnostics.has_errors()) {
    return spec;
  }
  parse_prelude(path, sources, *spec, diagnostics);
  tokens = lex(std::move(tokens), diagnostics);
  parse(std::move(tokens), path, *spec, diagnostics);
  if (!diagnostics.error_limit_reached()) {
    check_forward_declarations(*spec, diagnostics);
  }
  assign_repository_ids(*spec);
  return spec;
}

}  // namespace orb::idl
