// The C++ code generator of idlgen: turns a checked IDL specification into
// the four files of the C++ mapping. For `X.idl` it writes `X.hpp` and
// `X.cpp` (types, constants, TypeCodes, CDR codecs, proxies) and
// `X_servant.hpp` and `X_servant.cpp` (skeletons). Only declarations of the
// main file produce code; each included IDL file `Y.idl` becomes an
// `#include "Y.hpp"`, so every included file is expected to be compiled too.
#pragma once

#include <idl/ast.hpp>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace orb::idl {

/// One output file: its name (no directory) and its whole text.
struct GeneratedFile {
  std::string name;
  std::string text;
};

/// A construct the generator cannot map to C++, such as a native type that
/// an operation has to marshal. It names the place in the IDL.
class GeneratorError : public std::runtime_error {
 public:
  GeneratorError(SourceLocation location, const std::string& message)
      : std::runtime_error(message), location_(std::move(location)) {}

  const SourceLocation& location() const noexcept { return location_; }

 private:
  SourceLocation location_;
};

/// Generates the four C++ files for `spec`, in the order X.hpp, X.cpp,
/// X_servant.hpp, X_servant.cpp. The output depends on nothing but the
/// specification and the main file's base name, so it is deterministic.
/// Raises GeneratorError for a construct that has no C++ mapping.
std::vector<GeneratedFile> generate_cpp(const Specification& spec);

/// The base name of an IDL path without directory and extension:
/// "dir/Bank.idl" gives "Bank".
std::string idl_base_name(const std::string& path);

/// Every file that declarations of `spec` came from, the main file first,
/// then the included files in the order they were first read. A file that
/// declares nothing (only macros or pragmas) is not listed.
std::vector<std::string> source_files(const Specification& spec);

/// Generates the C++ files of `spec` into `output_dir` (created if missing)
/// and, unless `depfile` is empty, writes there the rule that the first
/// generated file depends on every IDL file read. Raises GeneratorError
/// for a construct without a C++ mapping and std::runtime_error when a
/// file cannot be written.
void write_generated_files(const Specification& spec, const std::string& output_dir,
                           const std::string& depfile);

/// Make-style dependency rules: `target` depends on every path in `inputs`,
/// with spaces in paths escaped. Build systems read this as a depfile.
std::string make_depfile(const std::string& target, const std::vector<std::string>& inputs);

}  // namespace orb::idl
