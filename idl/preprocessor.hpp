// The IDL preprocessor: #include, #define/#undef with object-like and
// function-like macros, conditional compilation, #error and #pragma. It runs
// on tokens rather than text, so every token keeps its original file, line
// and column (a macro's expansion takes the location of its invocation).
// Pragmas and the boundaries of included files reach the parser as marker
// tokens because repository ids depend on both.
#pragma once

#include <idl/diagnostics.hpp>
#include <idl/token.hpp>

#include <string>
#include <vector>

namespace orb::idl {

/// A -D or -U option, applied in command-line order.
struct MacroOption {
  bool define = true;
  std::string name;
  std::string value = "1";  ///< replacement text of a definition
};

struct PreprocessorOptions {
  /// Directories searched for `#include <...>`, and for `#include "..."` after
  /// the directory of the including file.
  std::vector<std::string> include_dirs;
  std::vector<MacroOption> macros;
  /// Nested #include depth at which the preprocessor gives up.
  size_t max_include_depth = 200;
};

/// Preprocesses `main_file` and returns its tokens, ending with end_of_file.
/// Errors are reported to `diagnostics`; the returned tokens are then
/// incomplete.
std::vector<Token> preprocess(const std::string& main_file, SourceFiles& sources,
                              Diagnostics& diagnostics, const PreprocessorOptions& options);

}  // namespace orb::idl
