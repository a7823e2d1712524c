// Indentation, blank lines and list wrapping for the C++ generator.
#include <idl/generator_writer.hpp>

namespace orb::idl {

void CodeWriter::flush_blank() {
  if (blank_pending_ && !after_open_) {
    out_ += '\n';
  }
  blank_pending_ = false;
}

void CodeWriter::line(std::string_view text) {
  flush_blank();
  if (!text.empty()) {
    out_.append(depth_ * kIndentWidth, ' ');
    out_ += text;
  }
  out_ += '\n';
  after_open_ = !text.empty() && text.back() == '{';
}

void CodeWriter::blank() {
  blank_pending_ = true;
}

void CodeWriter::open(std::string_view head) {
  line(std::string(head) + (head.empty() ? "{" : " {"));
  ++depth_;
}

void CodeWriter::close(std::string_view tail) {
  blank_pending_ = false;
  --depth_;
  if (after_open_ && out_.ends_with("{\n")) {
    out_.pop_back();
    out_ += "}" + std::string(tail) + "\n";
    after_open_ = false;
    return;
  }
  line("}" + std::string(tail));
}

void CodeWriter::open_namespace(std::string_view name) {
  line(name.empty() ? "namespace {" : "namespace " + std::string(name) + " {");
}

void CodeWriter::close_namespace(std::string_view name) {
  blank_pending_ = false;
  line(name.empty() ? "}  // namespace" : "}  // namespace " + std::string(name));
}

void CodeWriter::access(std::string_view label) {
  flush_blank();
  // Access labels sit one column left of the members they introduce.
  out_.append(depth_ * kIndentWidth - 1, ' ');
  out_ += label;
  out_ += '\n';
  after_open_ = true;
}

void CodeWriter::list(std::string_view head, const std::vector<std::string>& items,
                      std::string_view tail) {
  std::string joined;
  for (size_t i = 0; i < items.size(); ++i) {
    joined += (i == 0 ? "" : ", ") + items[i];
  }
  std::string one_line = std::string(head) + joined + std::string(tail);
  if (depth_ * kIndentWidth + one_line.size() <= kColumnLimit || items.empty()) {
    line(one_line);
    return;
  }
  line(head);
  depth_ += 2;
  for (size_t i = 0; i < items.size(); ++i) {
    bool last = i + 1 == items.size();
    line(items[i] + (last ? std::string(tail) : ","));
  }
  depth_ -= 2;
}

void CodeWriter::open_list(std::string_view head, const std::vector<std::string>& items,
                           std::string_view tail) {
  list(head, items, std::string(tail) + " {");
  ++depth_;
}

}  // namespace orb::idl
