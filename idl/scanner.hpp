// Splits the text of one file into preprocessing tokens. Comments and
// backslash-newline continuations disappear here, but every token keeps the
// line and column where its first character was written.
#pragma once

#include <idl/diagnostics.hpp>
#include <idl/token.hpp>

#include <string>
#include <vector>

namespace orb::idl {

/// Scans `text`, named `file` in locations, into tokens ending with one
/// end_of_file token. Unterminated comments and literals and invalid
/// characters are reported to `diagnostics`.
std::vector<Token> scan(const std::string& file, const std::string& text, Diagnostics& diagnostics);

}  // namespace orb::idl
