// Loading and line lookup for SourceFiles.
#include <idl/source.hpp>

#include <fstream>
#include <sstream>

namespace orb::idl {

std::string to_string(const SourceLocation& location) {
  return location.file + ":" + std::to_string(location.line) + ":" +
         std::to_string(location.column);
}

const std::string* SourceFiles::load(const std::string& path) {
  auto found = texts_.find(path);
  if (found != texts_.end()) {
    return found->second.get();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return nullptr;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return nullptr;
  }
  return &add(path, buffer.str());
}

const std::string& SourceFiles::add(const std::string& path, std::string text) {
  auto& slot = texts_[path];
  slot = std::make_unique<std::string>(std::move(text));
  return *slot;
}

std::string_view SourceFiles::line(const std::string& path, uint32_t line) const {
  auto found = texts_.find(path);
  if (found == texts_.end() || line == 0) {
    return {};
  }
  std::string_view text = *found->second;
  size_t start = 0;
  for (uint32_t current = 1; current < line; ++current) {
    size_t newline = text.find('\n', start);
    if (newline == std::string_view::npos) {
      return {};
    }
    start = newline + 1;
  }
  size_t end = text.find('\n', start);
  std::string_view result = text.substr(start, end == std::string_view::npos ? end : end - start);
  if (!result.empty() && result.back() == '\r') {
    result.remove_suffix(1);
  }
  return result;
}

}  // namespace orb::idl
