// Real vendor IDL: every file of Debian's omniorb-idl package. The COS
// service files must compile cleanly. A top-level file that declares value
// types must fail only with "not supported yet", first at the line of its
// first `valuetype`. The other top-level files must compile cleanly.
// IOP.idl, which several COS files include but the package lacks, comes from
// tests/idl/corpus_support.
#include <tests/idl/idl_test_util.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace orb::idl {
namespace {

const std::string kCorpusDir = "/usr/share/idl/omniORB";

std::vector<std::string> idl_files(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".idl") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::unique_ptr<test::Compiled> compile_corpus_file(const std::string& path) {
  PreprocessorOptions options;
  options.include_dirs = {kCorpusDir, kCorpusDir + "/COS", ORB_IDL_TEST_DIR "/corpus_support"};
  auto compiled = std::make_unique<test::Compiled>();
  compiled->spec = compile_file(path, options, compiled->sources, compiled->diagnostics);
  return compiled;
}

// The line (from 1) of the first `valuetype` outside a // comment, or 0.
uint32_t first_valuetype_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  for (uint32_t number = 1; std::getline(in, line); ++number) {
    std::string code = line.substr(0, line.find("//"));
    if (code.find("valuetype") != std::string::npos) {
      return number;
    }
  }
  return 0;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Checks a file that declares value types; returns true when it behaved.
bool check_valuetype_file(const std::string& path, const test::Compiled& compiled, uint32_t line) {
  bool ok = compiled.diagnostics.has_errors();
  bool first = true;
  for (const Diagnostic& d : compiled.diagnostics.all()) {
    if (d.severity != Severity::error) {
      continue;
    }
    EXPECT_TRUE(ends_with(d.message, "is not supported yet")) << path << ": " << d.message;
    ok = ok && ends_with(d.message, "is not supported yet");
    if (first) {
      EXPECT_EQ(d.location.file, path);
      EXPECT_EQ(d.location.line, line) << path;
      ok = ok && d.location.file == path && d.location.line == line;
      first = false;
    }
  }
  return ok;
}

TEST(IdlCorpus, CosFilesCompileCleanly) {
  if (!std::filesystem::exists(kCorpusDir + "/COS")) {
    GTEST_SKIP() << kCorpusDir << " is missing; install the omniorb-idl package";
  }
  std::vector<std::string> files = idl_files(kCorpusDir + "/COS");
  size_t passed = 0;
  for (const std::string& path : files) {
    auto compiled = compile_corpus_file(path);
    EXPECT_FALSE(compiled->diagnostics.has_errors()) << compiled->all_messages();
    passed += compiled->diagnostics.has_errors() ? 0 : 1;
  }
  std::cout << "COS corpus: " << passed << " of " << files.size() << " files passed\n";
  EXPECT_GE(files.size(), 57U);  // omniorb-idl 4.2.5 ships 57
}

TEST(IdlCorpus, TopLevelFilesCompileOrRejectValueTypes) {
  if (!std::filesystem::exists(kCorpusDir)) {
    GTEST_SKIP() << kCorpusDir << " is missing; install the omniorb-idl package";
  }
  std::vector<std::string> files = idl_files(kCorpusDir);
  size_t passed = 0;
  size_t rejected = 0;
  for (const std::string& path : files) {
    auto compiled = compile_corpus_file(path);
    uint32_t line = first_valuetype_line(path);
    bool ok = false;
    if (line != 0) {
      ok = check_valuetype_file(path, *compiled, line);
      rejected += ok ? 1 : 0;
    } else {
      ok = !compiled->diagnostics.has_errors();
      EXPECT_TRUE(ok) << compiled->all_messages();
    }
    passed += ok ? 1 : 0;
  }
  std::cout << "top-level corpus: " << passed << " of " << files.size() << " files passed ("
            << rejected << " rejected for value types as expected)\n";
  EXPECT_GE(files.size(), 14U);  // omniorb-idl 4.2.5 ships 14 beside COS/
}

}  // namespace
}  // namespace orb::idl
