// Collection and formatting of compiler diagnostics.
#include <idl/diagnostics.hpp>

namespace orb::idl {

const char* to_string(Severity severity) noexcept {
  switch (severity) {
    case Severity::note:
      return "note";
    case Severity::warning:
      return "warning";
    case Severity::error:
      return "error";
  }
  return "error";
}

Diagnostics::Diagnostics(const SourceFiles* sources, size_t max_errors)
    : sources_(sources), max_errors_(max_errors) {}

void Diagnostics::error(SourceLocation location, std::string message, std::vector<Note> notes) {
  ++error_count_;
  if (error_count_ > max_errors_) {
    return;
  }
  diagnostics_.push_back(
      {Severity::error, std::move(location), std::move(message), std::move(notes)});
}

void Diagnostics::warning(SourceLocation location, std::string message, std::vector<Note> notes) {
  diagnostics_.push_back(
      {Severity::warning, std::move(location), std::move(message), std::move(notes)});
}

std::string Diagnostics::format_entry(Severity severity, const SourceLocation& location,
                                      const std::string& message) const {
  std::string out;
  if (!location.file.empty()) {
    out += to_string(location) + ": ";
  } else {
    out += "idlgen: ";  // about no place in a file, such as a file that cannot be read
  }
  out += to_string(severity);
  out += ": ";
  out += message;
  out += '\n';
  if (sources_ == nullptr || location.line == 0) {
    return out;
  }
  std::string_view text = sources_->line(location.file, location.line);
  if (text.empty()) {
    return out;
  }
  out += text;
  out += '\n';
  // Tabs are copied so the caret lines up however the terminal expands them.
  for (size_t i = 0; i + 1 < location.column && i < text.size(); ++i) {
    out += text[i] == '\t' ? '\t' : ' ';
  }
  out += "^\n";
  return out;
}

std::string Diagnostics::format(const Diagnostic& diagnostic) const {
  std::string out = format_entry(diagnostic.severity, diagnostic.location, diagnostic.message);
  for (const Note& note : diagnostic.notes) {
    out += format_entry(Severity::note, note.location, note.message);
  }
  return out;
}

void Diagnostics::print(std::ostream& out) const {
  for (const Diagnostic& diagnostic : diagnostics_) {
    out << format(diagnostic);
  }
  if (error_count_ > max_errors_) {
    out << "fatal error: too many errors; stopped after " << max_errors_ << ", and "
        << error_count_ - max_errors_ << " more were not shown\n";
  }
}

}  // namespace orb::idl
