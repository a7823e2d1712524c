// CodeWriter: the text sink of the C++ generator. It owns indentation and
// blank lines, so the functions that emit constructs only say what to write:
// a line, a block opened and closed, an access label, a list that wraps
// when it does not fit in the column limit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace orb::idl {

class CodeWriter {
 public:
  static constexpr size_t kColumnLimit = 100;
  static constexpr size_t kIndentWidth = 2;

  /// Writes one line at the current indentation; an empty text writes an
  /// empty line.
  void line(std::string_view text);
  /// Requests one blank line before the next line. Several requests in a row
  /// give one blank line, and none follows an opening brace or precedes a
  /// closing one.
  void blank();

  /// Writes `head {` and indents what follows.
  void open(std::string_view head);
  /// Outdents and writes `}` followed by `tail` (such as ";"); right after
  /// the opening line it gives `head {}` instead.
  void close(std::string_view tail = "");
  /// Writes `namespace name {` without indenting the contents, as the
  /// repository's clang-format does; an empty name opens an anonymous one.
  void open_namespace(std::string_view name);
  void close_namespace(std::string_view name);
  /// Writes `public:` or `private:` one column left of the members.
  void access(std::string_view label);

  /// Writes `head item, item, ... tail` on one line when it fits, otherwise
  /// `head` alone followed by one item per line, indented by two levels.
  /// `head` normally ends in "(" or "{" and `tail` starts with ")" or "}".
  void list(std::string_view head, const std::vector<std::string>& items, std::string_view tail);
  /// list() for the head of a block: `tail` gets " {" and what follows is indented.
  void open_list(std::string_view head, const std::vector<std::string>& items,
                 std::string_view tail);

  void indent() { ++depth_; }
  void outdent() { --depth_; }
  size_t depth() const noexcept { return depth_; }

  /// The text written so far.
  const std::string& text() const noexcept { return out_; }

 private:
  void flush_blank();

  std::string out_;
  size_t depth_ = 0;
  bool blank_pending_ = false;
  bool after_open_ = true;  // at the start of the file or right after a '{'
};

}  // namespace orb::idl
