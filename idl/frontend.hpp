// The IDL front end in one call: preprocess, lex, parse, check and assign
// repository ids. This is what idlgen and the tests run on each file.
#pragma once

#include <idl/ast.hpp>
#include <idl/diagnostics.hpp>
#include <idl/preprocessor.hpp>

#include <memory>
#include <string>

namespace orb::idl {

/// Compiles `path`. The returned specification is complete only when
/// `diagnostics` holds no errors afterwards; after a preprocessing error the
/// file is not parsed at all, since its tokens are unreliable.
std::unique_ptr<Specification> compile_file(const std::string& path,
                                            const PreprocessorOptions& options,
                                            SourceFiles& sources, Diagnostics& diagnostics);

}  // namespace orb::idl
