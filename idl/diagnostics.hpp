// Compiler-style diagnostics for the IDL front end: errors and warnings with
// attached notes, printed as `file:line:column: error: message` followed by
// the source line and a caret under the column. Every phase reports here;
// the caller decides when to stop by asking has_errors().
#pragma once

#include <idl/source.hpp>

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace orb::idl {

enum class Severity { note, warning, error };

/// A secondary location that explains an error, such as a previous definition.
struct Note {
  SourceLocation location;
  std::string message;
};

/// One reported problem with the notes that explain it.
struct Diagnostic {
  Severity severity = Severity::error;
  SourceLocation location;
  std::string message;
  std::vector<Note> notes;
};

/// Collects diagnostics in the order they are reported. After max_errors
/// errors further errors are counted but not stored, so a badly broken file
/// does not bury the first, most useful messages.
class Diagnostics {
 public:
  static constexpr size_t kDefaultMaxErrors = 20;

  explicit Diagnostics(const SourceFiles* sources = nullptr, size_t max_errors = kDefaultMaxErrors);

  void error(SourceLocation location, std::string message, std::vector<Note> notes = {});
  void warning(SourceLocation location, std::string message, std::vector<Note> notes = {});

  bool has_errors() const noexcept { return error_count_ > 0; }
  size_t error_count() const noexcept { return error_count_; }
  /// True once max_errors errors were stored; phases stop early when it is.
  bool error_limit_reached() const noexcept { return error_count_ >= max_errors_; }
  const std::vector<Diagnostic>& all() const noexcept { return diagnostics_; }

  /// Formats one diagnostic with its source line, caret and notes.
  std::string format(const Diagnostic& diagnostic) const;
  /// Prints every stored diagnostic, then a line on dropped errors if any.
  void print(std::ostream& out) const;

 private:
  std::string format_entry(Severity severity, const SourceLocation& location,
                           const std::string& message) const;

  const SourceFiles* sources_;
  size_t max_errors_;
  size_t error_count_ = 0;
  std::vector<Diagnostic> diagnostics_;
};

/// Returns "error", "warning" or "note".
const char* to_string(Severity severity) noexcept;

}  // namespace orb::idl
