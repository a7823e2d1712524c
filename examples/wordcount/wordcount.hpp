// What the wordcount master and workers agree on: the tuples they
// exchange through the space, and what a word is.
//
//   ("wordcount-task",   job, index, file name, contents)  master -> workers
//   ("wordcount-result", job, index, counts)               workers -> master
//   ("wordcount-stop",   job)                              master -> each worker
//
// `counts` is "word count\n" lines as bytes. A word is a maximal run of
// ASCII letters, compared without case.
#pragma once

#include <cctype>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace wordcount {

inline constexpr const char* kTask = "wordcount-task";
inline constexpr const char* kResult = "wordcount-result";
inline constexpr const char* kStop = "wordcount-stop";

using Counts = std::map<std::string, int64_t>;

inline void count_words(const std::vector<uint8_t>& text, Counts& counts) {
  std::string word;
  for (uint8_t byte : text) {
    if (std::isalpha(byte) != 0 && byte < 0x80) {
      word.push_back(static_cast<char>(std::tolower(byte)));
    } else if (!word.empty()) {
      ++counts[word];
      word.clear();
    }
  }
  if (!word.empty()) {
    ++counts[word];
  }
}

inline std::vector<uint8_t> encode_counts(const Counts& counts) {
  std::ostringstream lines;
  for (const auto& [word, count] : counts) {
    lines << word << ' ' << count << '\n';
  }
  std::string text = lines.str();
  return {text.begin(), text.end()};
}

inline void add_counts(const std::vector<uint8_t>& encoded, Counts& counts) {
  std::istringstream lines(std::string(encoded.begin(), encoded.end()));
  std::string word;
  int64_t count = 0;
  while (lines >> word >> count) {
    counts[word] += count;
  }
}

}  // namespace wordcount
