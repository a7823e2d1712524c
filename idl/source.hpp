// Source text of the IDL files a compilation reads: loaded once, kept for the
// whole compilation so diagnostics can quote the offending line. Paths are
// stored as given; include resolution lives in the preprocessor.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace orb::idl {

/// A place in a source file; line and column count from 1, columns in bytes.
struct SourceLocation {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;

  bool operator==(const SourceLocation&) const = default;
};

/// Formats `file:line:column`.
std::string to_string(const SourceLocation& location);

/// The text of every file read during one compilation.
class SourceFiles {
 public:
  /// Reads `path` once and keeps its text; returns nullptr when it cannot be read.
  const std::string* load(const std::string& path);

  /// Registers text under a path without touching the file system (for tests
  /// and command-line macro definitions).
  const std::string& add(const std::string& path, std::string text);

  /// Returns line `line` (from 1) of `path` without its newline, or an empty
  /// view when the file or line is unknown.
  std::string_view line(const std::string& path, uint32_t line) const;

 private:
  // unique_ptr keeps each text at a stable address while the map grows.
  std::map<std::string, std::unique_ptr<std::string>> texts_;
};

}  // namespace orb::idl
