// Helpers for the IDL front-end tests: compile IDL held in memory and find
// declarations in the result by their qualified name.
#pragma once

#include <idl/ast.hpp>
#include <idl/diagnostics.hpp>
#include <idl/frontend.hpp>

#include <map>
#include <memory>
#include <string>

namespace orb::idl::test {

/// One compilation with the sources and diagnostics it used.
struct Compiled {
  SourceFiles sources;
  Diagnostics diagnostics{&sources};
  std::unique_ptr<Specification> spec;

  /// The first error as `file:line:column: error: message`, or "" when none.
  std::string first_error() const {
    for (const Diagnostic& d : diagnostics.all()) {
      if (d.severity == Severity::error) {
        return to_string(d.location) + ": error: " + d.message;
      }
    }
    return "";
  }

  /// Every diagnostic, formatted, for failure messages.
  std::string all_messages() const {
    std::string out;
    for (const Diagnostic& d : diagnostics.all()) {
      out += diagnostics.format(d);
    }
    return out;
  }

  /// The declaration named `scoped` ("::M::T"), skipping forward declarations.
  Decl* find(const std::string& scoped) const {
    for (const auto& decl : spec->decls) {
      bool forward = decl->kind == DeclKind::interface_forward ||
                     decl->kind == DeclKind::structure_forward ||
                     decl->kind == DeclKind::union_forward;
      if (!forward && !decl->builtin && decl->enclosing != nullptr &&
          decl->scoped_name() == scoped) {
        return decl.get();
      }
    }
    return nullptr;
  }
};

/// Compiles `files` (path to text, held in memory) starting at `main`.
inline std::unique_ptr<Compiled> compile_sources(const std::map<std::string, std::string>& files,
                                                 const std::string& main,
                                                 const PreprocessorOptions& options = {}) {
  auto compiled = std::make_unique<Compiled>();
  for (const auto& [path, text] : files) {
    compiled->sources.add(path, text);
  }
  compiled->spec = compile_file(main, options, compiled->sources, compiled->diagnostics);
  return compiled;
}

/// Compiles one in-memory file named "test.idl".
inline std::unique_ptr<Compiled> compile_text(const std::string& text) {
  return compile_sources({{"test.idl", text}}, "test.idl");
}

}  // namespace orb::idl::test
