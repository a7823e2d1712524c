// The preprocessor behind preprocess(): a stack of files being read, the
// conditional state of each, the macro table and the include-guard cache.
#include <idl/preprocessor.hpp>

#include <idl/pp_expression.hpp>
#include <idl/scanner.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <set>

namespace orb::idl {
namespace {

/// Returns why the file at `path` could not be read.
std::string unreadable_reason(const std::string& path) {
  std::error_code error;
  std::filesystem::file_status status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found) {
    return "no such file";
  }
  if (status.type() == std::filesystem::file_type::directory) {
    return "it is a directory";
  }
  return "permission denied, or a read error";
}

constexpr const char* kCommandLine = "<command line>";

struct Macro {
  std::string name;
  bool function_like = false;
  std::vector<std::string> params;
  std::vector<Token> body;
  SourceLocation location;
};

/// One #if ... #endif block of the file being read.
struct Conditional {
  SourceLocation location;
  bool parent_active = true;
  bool active = true;         // the current branch is being compiled
  bool branch_taken = false;  // some branch of this block was compiled already
  bool seen_else = false;
};

/// A file being read, innermost last on the stack.
struct Frame {
  std::string path;
  std::vector<Token> tokens;
  size_t pos = 0;
  std::vector<Conditional> conditionals;
  SourceLocation included_at;  // the #include that opened it; empty for the main file
  bool seen_content = false;   // a token or directive before the guard candidate
  std::string guard;           // macro of a leading #ifndef, if the file starts with one
};

using Arguments = std::vector<std::vector<Token>>;

std::string spell(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& token : tokens) {
    if (!out.empty() && token.space_before) {
      out += ' ';
    }
    out += token.text;
  }
  return out;
}

class Preprocessor {
 public:
  Preprocessor(SourceFiles& sources, Diagnostics& diagnostics, const PreprocessorOptions& options)
      : sources_(sources), diagnostics_(diagnostics), options_(options) {}

  std::vector<Token> run(const std::string& main_file);

 private:
  // Files
  bool push_file(const std::string& path, const SourceLocation& included_at);
  void finish_file();
  void step();
  bool active() const {
    const auto& conditionals = frames_.back().conditionals;
    return conditionals.empty() || conditionals.back().active;
  }
  void emit(Token token) {
    token.at_line_start = false;
    output_.push_back(std::move(token));
  }

  // Directives
  void directive();
  std::vector<Token> take_line();
  void dispatch(const Token& name, std::vector<Token>& line);
  void do_include(const Token& name, std::vector<Token>& line);
  std::optional<std::string> resolve_include(const std::string& name, bool quoted) const;
  bool include_cycle(const std::string& path, const std::string& spelled, const Token& name);
  void do_define(const Token& name, const std::vector<Token>& line);
  void do_undef(const Token& name, const std::vector<Token>& line);
  void do_if(const Token& name, const std::vector<Token>& line);
  void do_ifdef(const Token& name, const std::vector<Token>& line, bool want_defined);
  void do_elif(const Token& name, const std::vector<Token>& line);
  void do_else(const Token& name);
  void do_endif(const Token& name);
  void do_pragma(const Token& hash, const Token& name, std::vector<Token>& line);
  bool evaluate_condition(const Token& name, const std::vector<Token>& line);
  std::vector<Token> replace_defined(const std::vector<Token>& line);
  void push_conditional(const Token& name, bool condition);

  // Macros
  void define_from_option(const MacroOption& option);
  void define_macro(Macro macro);
  bool defined(const std::string& name) const { return macros_.count(name) != 0; }
  void expand_in_file();
  std::vector<Token> expand_list(const std::vector<Token>& tokens,
                                 const std::set<std::string>& disabled);
  std::vector<Token> expand_macro(const Macro& macro, const Arguments& args,
                                  const SourceLocation& location,
                                  const std::set<std::string>& disabled);
  std::vector<Token> substitute(const Macro& macro, const Arguments& args,
                                const std::set<std::string>& disabled);
  bool collect_arguments(const std::vector<Token>& tokens, size_t& pos, Arguments& args);
  bool check_argument_count(const Macro& macro, Arguments& args, const SourceLocation& location);
  Token paste(const Token& left, const Token& right);

  SourceFiles& sources_;
  Diagnostics& diagnostics_;
  const PreprocessorOptions& options_;
  std::vector<Frame> frames_;
  std::map<std::string, Macro> macros_;
  std::map<std::string, std::string> guarded_files_;  // path -> include-guard macro
  std::set<std::string> once_files_;                  // files with #pragma once
  std::vector<Token> output_;
  SourceLocation main_end_;  // the end-of-file location of the main file, once read
};

std::vector<Token> Preprocessor::run(const std::string& main_file) {
  for (const MacroOption& option : options_.macros) {
    define_from_option(option);
  }
  if (push_file(main_file, {})) {
    while (!frames_.empty() && !diagnostics_.error_limit_reached()) {
      step();
    }
  } else {
    diagnostics_.error({}, "cannot read '" + main_file + "': " + unreadable_reason(main_file));
  }
  Token end;
  // Where the main file ends, so that "found end of file" points there.
  end.location = !frames_.empty()      ? frames_.back().tokens.back().location
                 : main_end_.line != 0 ? main_end_
                                       : SourceLocation{main_file, 1, 1};
  output_.push_back(std::move(end));
  return std::move(output_);
}

bool Preprocessor::push_file(const std::string& path, const SourceLocation& included_at) {
  const std::string* text = sources_.load(path);
  if (text == nullptr) {
    return false;
  }
  Frame frame;
  frame.path = path;
  frame.tokens = scan(path, *text, diagnostics_);
  frame.included_at = included_at;
  if (!frames_.empty()) {
    Token marker;
    marker.kind = TokenKind::file_enter;
    marker.text = path;
    marker.location = included_at;
    emit(std::move(marker));
  }
  frames_.push_back(std::move(frame));
  return true;
}

void Preprocessor::finish_file() {
  Frame& frame = frames_.back();
  for (const Conditional& open : frame.conditionals) {
    diagnostics_.error(open.location, "unterminated conditional directive");
  }
  if (frames_.size() > 1) {
    Token marker;
    marker.kind = TokenKind::file_exit;
    marker.text = frame.path;
    marker.location = frame.tokens.back().location;
    emit(std::move(marker));
  } else {
    main_end_ = frame.tokens.back().location;
  }
  frames_.pop_back();
}

void Preprocessor::step() {
  Frame& frame = frames_.back();
  const Token& token = frame.tokens[frame.pos];
  if (token.kind == TokenKind::end_of_file) {
    finish_file();
    return;
  }
  if (token.at_line_start && token.is_punct("#")) {
    directive();
    return;
  }
  frame.seen_content = true;
  if (!active()) {
    ++frame.pos;
    return;
  }
  if (token.kind == TokenKind::identifier && defined(token.text)) {
    expand_in_file();
    return;
  }
  if (token.is_punct("#") || token.is_punct("##")) {
    diagnostics_.error(token.location, "stray '" + token.text + "' outside a directive");
    ++frame.pos;
    return;
  }
  emit(token);
  ++frame.pos;
}

// ---------------------------------------------------------------------------
// Directives

// Returns the tokens after '#' up to the end of the line and moves past them.
std::vector<Token> Preprocessor::take_line() {
  Frame& frame = frames_.back();
  std::vector<Token> line;
  ++frame.pos;  // '#'
  while (frame.tokens[frame.pos].kind != TokenKind::end_of_file &&
         !frame.tokens[frame.pos].at_line_start) {
    line.push_back(frame.tokens[frame.pos++]);
  }
  return line;
}

void Preprocessor::directive() {
  Frame& frame = frames_.back();
  Token hash = frame.tokens[frame.pos];
  std::vector<Token> line = take_line();
  if (line.empty()) {
    return;  // the null directive
  }
  Token name = line.front();
  line.erase(line.begin());
  bool guard_candidate = !frame.seen_content && frame.conditionals.empty() &&
                         name.text == "ifndef" && line.size() == 1;
  frames_.back().seen_content = true;
  if (guard_candidate) {
    frames_.back().guard = line.front().text;
  }
  if (name.text == "pragma") {
    if (active()) {
      do_pragma(hash, name, line);
    }
    return;
  }
  dispatch(name, line);
}

void Preprocessor::dispatch(const Token& name, std::vector<Token>& line) {
  const std::string& directive = name.text;
  if (directive == "if")
    return do_if(name, line);
  if (directive == "ifdef")
    return do_ifdef(name, line, true);
  if (directive == "ifndef")
    return do_ifdef(name, line, false);
  if (directive == "elif")
    return do_elif(name, line);
  if (directive == "else")
    return do_else(name);
  if (directive == "endif")
    return do_endif(name);
  if (!active()) {
    return;  // other directives, even unknown ones, are ignored in skipped blocks
  }
  if (directive == "include")
    return do_include(name, line);
  if (directive == "define")
    return do_define(name, line);
  if (directive == "undef")
    return do_undef(name, line);
  if (directive == "error") {
    diagnostics_.error(name.location, "#error " + spell(line));
    return;
  }
  if (directive == "warning") {
    diagnostics_.warning(name.location, "#warning " + spell(line));
    return;
  }
  if (directive == "line" || name.kind == TokenKind::pp_number) {
    return;  // line markers do not change locations: tokens already carry the real ones
  }
  diagnostics_.error(name.location, "invalid preprocessing directive '#" + directive + "'");
}

void Preprocessor::do_include(const Token& name, std::vector<Token>& line) {
  if (!line.empty() && line.front().kind == TokenKind::identifier) {
    line = expand_list(line, {});
  }
  std::string file;
  bool quoted = false;
  if (!line.empty() && line.front().kind == TokenKind::string_literal &&
      line.front().text.size() >= 2) {
    file = line.front().text.substr(1, line.front().text.size() - 2);
    quoted = true;
  } else if (line.size() >= 3 && line.front().is_punct("<") && line.back().is_punct(">")) {
    file = spell(std::vector<Token>(line.begin() + 1, line.end() - 1));
  } else {
    diagnostics_.error(name.location, "#include expects \"FILENAME\" or <FILENAME>");
    return;
  }
  std::optional<std::string> path = resolve_include(file, quoted);
  if (!path) {
    diagnostics_.error(line.front().location, "'" + file + "' file not found");
    return;
  }
  auto guard = guarded_files_.find(*path);
  if ((guard != guarded_files_.end() && defined(guard->second)) || once_files_.count(*path)) {
    return;  // already included and protected by its guard: nothing to read
  }
  if (include_cycle(*path, file, name)) {
    return;
  }
  if (frames_.size() >= options_.max_include_depth) {
    diagnostics_.error(name.location, "#include nested too deeply");
    return;
  }
  if (!push_file(*path, name.location)) {
    diagnostics_.error(line.front().location,
                       "cannot read '" + *path + "': " + unreadable_reason(*path));
  }
}

std::optional<std::string> Preprocessor::resolve_include(const std::string& name,
                                                         bool quoted) const {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  if (fs::path(name).is_absolute()) {
    candidates.emplace_back(name);
  } else {
    if (quoted) {
      candidates.push_back(fs::path(frames_.back().path).parent_path() / name);
    }
    for (const std::string& dir : options_.include_dirs) {
      candidates.push_back(fs::path(dir) / name);
    }
  }
  for (const fs::path& candidate : candidates) {
    std::string path = candidate.lexically_normal().string();
    if (sources_.load(path) != nullptr) {
      return path;
    }
  }
  return std::nullopt;
}

// Reports an #include of a file that is still open further up the stack,
// unless its leading #ifndef guard would make the nested copy empty anyway.
bool Preprocessor::include_cycle(const std::string& path, const std::string& spelled,
                                 const Token& name) {
  size_t open = 0;
  while (open < frames_.size() && frames_[open].path != path) {
    ++open;
  }
  if (open == frames_.size()) {
    return false;
  }
  if (!frames_[open].guard.empty() && defined(frames_[open].guard)) {
    return true;
  }
  std::vector<Note> notes;
  for (size_t i = frames_.size() - 1; i > open; --i) {
    notes.push_back({frames_[i].included_at, "'" + frames_[i].path + "' is included from '" +
                                                 frames_[i - 1].path + "' here"});
  }
  diagnostics_.error(name.location, "cyclic #include of '" + spelled + "'", std::move(notes));
  return true;
}

void Preprocessor::do_define(const Token& name, const std::vector<Token>& line) {
  if (line.empty() || line.front().kind != TokenKind::identifier) {
    diagnostics_.error(line.empty() ? name.location : line.front().location,
                       "macro name must be an identifier");
    return;
  }
  Macro macro;
  macro.name = line.front().text;
  macro.location = line.front().location;
  size_t pos = 1;
  if (pos < line.size() && line[pos].is_punct("(") && !line[pos].space_before) {
    macro.function_like = true;
    ++pos;
    while (pos < line.size() && !line[pos].is_punct(")")) {
      if (line[pos].kind == TokenKind::identifier) {
        macro.params.push_back(line[pos].text);
      } else if (!line[pos].is_punct(",")) {
        diagnostics_.error(line[pos].location,
                           "invalid token '" + line[pos].text + "' in macro parameter list");
        return;
      }
      ++pos;
    }
    if (pos == line.size()) {
      diagnostics_.error(name.location, "missing ')' in macro parameter list");
      return;
    }
    ++pos;
  }
  macro.body.assign(line.begin() + static_cast<std::ptrdiff_t>(pos), line.end());
  define_macro(std::move(macro));
}

void Preprocessor::define_macro(Macro macro) {
  auto previous = macros_.find(macro.name);
  if (previous != macros_.end()) {
    const Macro& old = previous->second;
    if (old.params != macro.params || old.function_like != macro.function_like ||
        spell(old.body) != spell(macro.body)) {
      diagnostics_.warning(macro.location, "'" + macro.name + "' macro redefined",
                           {{old.location, "previous definition is here"}});
    }
  }
  std::string name = macro.name;
  macros_[name] = std::move(macro);
}

void Preprocessor::define_from_option(const MacroOption& option) {
  if (!option.define) {
    macros_.erase(option.name);
    return;
  }
  std::string text = option.name + " " + option.value;
  sources_.add(kCommandLine, text);
  std::vector<Token> line = scan(kCommandLine, text, diagnostics_);
  line.pop_back();  // end_of_file
  Token name;
  name.location = {kCommandLine, 1, 1};
  do_define(name, line);
}

void Preprocessor::do_undef(const Token& name, const std::vector<Token>& line) {
  if (line.empty() || line.front().kind != TokenKind::identifier) {
    diagnostics_.error(name.location, "macro name must be an identifier");
    return;
  }
  macros_.erase(line.front().text);
}

void Preprocessor::push_conditional(const Token& name, bool condition) {
  bool parent = active();
  frames_.back().conditionals.push_back(
      {name.location, parent, parent && condition, parent && condition, false});
}

void Preprocessor::do_if(const Token& name, const std::vector<Token>& line) {
  if (!active()) {
    push_conditional(name, false);
    frames_.back().conditionals.back().branch_taken = true;
    return;
  }
  push_conditional(name, evaluate_condition(name, line));
}

void Preprocessor::do_ifdef(const Token& name, const std::vector<Token>& line, bool want_defined) {
  if (line.empty() || line.front().kind != TokenKind::identifier) {
    if (active()) {
      diagnostics_.error(name.location, "macro name missing after '#" + name.text + "'");
    }
    push_conditional(name, false);
    return;
  }
  push_conditional(name, defined(line.front().text) == want_defined);
}

void Preprocessor::do_elif(const Token& name, const std::vector<Token>& line) {
  auto& conditionals = frames_.back().conditionals;
  if (conditionals.empty()) {
    diagnostics_.error(name.location, "#elif without #if");
    return;
  }
  Conditional& top = conditionals.back();
  if (top.seen_else) {
    diagnostics_.error(name.location, "#elif after #else");
    return;
  }
  if (!top.parent_active || top.branch_taken) {
    top.active = false;
    return;
  }
  top.active = true;  // evaluate with this block's macros visible
  bool condition = evaluate_condition(name, line);
  top.active = condition;
  top.branch_taken = condition;
}

void Preprocessor::do_else(const Token& name) {
  auto& conditionals = frames_.back().conditionals;
  if (conditionals.empty()) {
    diagnostics_.error(name.location, "#else without #if");
    return;
  }
  Conditional& top = conditionals.back();
  if (top.seen_else) {
    diagnostics_.error(name.location, "#else after #else");
    return;
  }
  top.seen_else = true;
  top.active = top.parent_active && !top.branch_taken;
  top.branch_taken = true;
}

void Preprocessor::do_endif(const Token& name) {
  Frame& frame = frames_.back();
  if (frame.conditionals.empty()) {
    diagnostics_.error(name.location, "#endif without #if");
    return;
  }
  frame.conditionals.pop_back();
  // The file is guarded when its leading #ifndef closes at the very end.
  if (frame.conditionals.empty() && !frame.guard.empty() &&
      frame.tokens[frame.pos].kind == TokenKind::end_of_file) {
    guarded_files_[frame.path] = frame.guard;
  }
}

bool Preprocessor::evaluate_condition(const Token& name, const std::vector<Token>& line) {
  std::vector<Token> expanded = expand_list(replace_defined(line), {});
  std::optional<int64_t> value = evaluate_pp_expression(expanded, name.location, diagnostics_);
  return value.value_or(0) != 0;
}

// Turns `defined X` and `defined(X)` into 1 or 0 before macro expansion.
std::vector<Token> Preprocessor::replace_defined(const std::vector<Token>& line) {
  std::vector<Token> out;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i].kind != TokenKind::identifier || line[i].text != "defined") {
      out.push_back(line[i]);
      continue;
    }
    Token value = line[i];
    value.kind = TokenKind::pp_number;
    bool parens = i + 1 < line.size() && line[i + 1].is_punct("(");
    size_t name_at = parens ? i + 2 : i + 1;
    if (name_at >= line.size() || line[name_at].kind != TokenKind::identifier ||
        (parens && (name_at + 1 >= line.size() || !line[name_at + 1].is_punct(")")))) {
      diagnostics_.error(line[i].location, "'defined' expects a macro name");
      value.text = "0";
      out.push_back(value);
      return out;
    }
    value.text = defined(line[name_at].text) ? "1" : "0";
    out.push_back(value);
    i = parens ? name_at + 1 : name_at;
  }
  return out;
}

void Preprocessor::do_pragma(const Token& hash, const Token& name, std::vector<Token>& line) {
  if (line.empty()) {
    return;
  }
  if (line.front().is(TokenKind::identifier, "once")) {
    once_files_.insert(frames_.back().path);
    return;
  }
  Token pragma;
  pragma.kind = TokenKind::pragma;
  pragma.text = line.front().text;
  pragma.location = hash.location;
  pragma.pragma_args.assign(line.begin() + 1, line.end());
  (void)name;
  emit(std::move(pragma));
}

// ---------------------------------------------------------------------------
// Macro expansion

void Preprocessor::expand_in_file() {
  Frame& frame = frames_.back();
  const Token name = frame.tokens[frame.pos];
  const Macro& macro = macros_.at(name.text);
  Arguments args;
  if (macro.function_like) {
    if (!frame.tokens[frame.pos + 1].is_punct("(")) {
      emit(name);  // a function-like macro name without arguments stays a name
      ++frame.pos;
      return;
    }
    frame.pos += 1;
    if (!collect_arguments(frame.tokens, frame.pos, args)) {
      diagnostics_.error(name.location,
                         "unterminated argument list invoking macro '" + name.text + "'");
      return;
    }
  } else {
    ++frame.pos;
  }
  if (!check_argument_count(macro, args, name.location)) {
    return;
  }
  for (Token& token : expand_macro(macro, args, name.location, {})) {
    emit(std::move(token));
  }
}

// Reads `( a, b )` starting at the '(' at `pos`; leaves `pos` after the ')'.
bool Preprocessor::collect_arguments(const std::vector<Token>& tokens, size_t& pos,
                                     Arguments& args) {
  int depth = 0;
  args.emplace_back();
  for (++pos; pos < tokens.size() && tokens[pos].kind != TokenKind::end_of_file; ++pos) {
    const Token& token = tokens[pos];
    if (token.is_punct(")") && depth == 0) {
      ++pos;
      return true;
    }
    if (token.is_punct(",") && depth == 0) {
      args.emplace_back();
      continue;
    }
    depth += token.is_punct("(") ? 1 : token.is_punct(")") ? -1 : 0;
    args.back().push_back(token);
  }
  return false;
}

bool Preprocessor::check_argument_count(const Macro& macro, Arguments& args,
                                        const SourceLocation& location) {
  if (!macro.function_like) {
    return true;
  }
  if (macro.params.empty() && args.size() == 1 && args.front().empty()) {
    args.clear();
  }
  if (args.size() == macro.params.size()) {
    return true;
  }
  diagnostics_.error(location, "macro '" + macro.name + "' requires " +
                                   std::to_string(macro.params.size()) + " argument(s), but " +
                                   std::to_string(args.size()) + " given");
  return false;
}

std::vector<Token> Preprocessor::expand_list(const std::vector<Token>& tokens,
                                             const std::set<std::string>& disabled) {
  std::vector<Token> out;
  for (size_t pos = 0; pos < tokens.size();) {
    const Token& token = tokens[pos];
    auto found = macros_.find(token.text);
    if (token.kind != TokenKind::identifier || found == macros_.end() ||
        disabled.count(token.text)) {
      out.push_back(token);
      ++pos;
      continue;
    }
    const Macro& macro = found->second;
    Arguments args;
    size_t next = pos + 1;
    if (macro.function_like) {
      if (next >= tokens.size() || !tokens[next].is_punct("(") ||
          !collect_arguments(tokens, next, args)) {
        out.push_back(token);
        ++pos;
        continue;
      }
    }
    if (check_argument_count(macro, args, token.location)) {
      std::vector<Token> expansion = expand_macro(macro, args, token.location, disabled);
      out.insert(out.end(), expansion.begin(), expansion.end());
    }
    pos = next;
  }
  return out;
}

std::vector<Token> Preprocessor::expand_macro(const Macro& macro, const Arguments& args,
                                              const SourceLocation& location,
                                              const std::set<std::string>& disabled) {
  std::vector<Token> body = substitute(macro, args, disabled);
  for (Token& token : body) {
    token.location = location;
    token.at_line_start = false;
  }
  std::set<std::string> inner = disabled;
  inner.insert(macro.name);
  return expand_list(body, inner);
}

// Replaces parameters by their expanded arguments, applying '#' and '##'.
std::vector<Token> Preprocessor::substitute(const Macro& macro, const Arguments& args,
                                            const std::set<std::string>& disabled) {
  auto param_index = [&](const Token& token) -> std::optional<size_t> {
    for (size_t i = 0; i < macro.params.size(); ++i) {
      if (token.kind == TokenKind::identifier && token.text == macro.params[i]) {
        return i;
      }
    }
    return std::nullopt;
  };
  std::vector<Token> out;
  const std::vector<Token>& body = macro.body;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i].is_punct("#") && macro.function_like && i + 1 < body.size() &&
        param_index(body[i + 1])) {
      Token text = body[i];
      text.kind = TokenKind::string_literal;
      text.text = "\"" + spell(args[*param_index(body[i + 1])]) + "\"";
      out.push_back(text);
      ++i;
    } else if (body[i].is_punct("##") && !out.empty() && i + 1 < body.size()) {
      std::optional<size_t> right = param_index(body[i + 1]);
      Token next = right ? (args[*right].empty() ? Token{} : args[*right].front()) : body[i + 1];
      out.back() = paste(out.back(), next);
      if (right && args[*right].size() > 1) {
        out.insert(out.end(), args[*right].begin() + 1, args[*right].end());
      }
      ++i;
    } else if (std::optional<size_t> param = param_index(body[i])) {
      bool pasted = i + 1 < body.size() && body[i + 1].is_punct("##");
      std::vector<Token> arg = pasted ? args[*param] : expand_list(args[*param], disabled);
      out.insert(out.end(), arg.begin(), arg.end());
    } else {
      out.push_back(body[i]);
    }
  }
  return out;
}

// Joins two spellings into one token by rescanning the result.
Token Preprocessor::paste(const Token& left, const Token& right) {
  std::string text = left.text + right.text;
  Diagnostics scratch;
  std::vector<Token> tokens = scan(left.location.file, text, scratch);
  if (tokens.size() != 2 || scratch.has_errors()) {
    diagnostics_.error(left.location, "pasting '" + left.text + "' and '" + right.text +
                                          "' does not give a valid token");
    return left;
  }
  Token joined = tokens.front();
  joined.location = left.location;
  joined.space_before = left.space_before;
  return joined;
}

}  // namespace

std::vector<Token> preprocess(const std::string& main_file, SourceFiles& sources,
                              Diagnostics& diagnostics, const PreprocessorOptions& options) {
  return Preprocessor(sources, diagnostics, options).run(main_file);
}

}  // namespace orb::idl
