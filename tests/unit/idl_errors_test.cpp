// Golden diagnostics: every file in tests/idl/errors starts with a comment
// `// expect: FILE:LINE:COLUMN: error: MESSAGE` naming the first error the
// front end must report for it, with FILE relative to that directory.
#include <tests/idl/idl_test_util.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace orb::idl {
namespace {

const std::string kErrorsDir = ORB_IDL_TEST_DIR "/errors";

std::vector<std::string> error_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(kErrorsDir)) {
    if (entry.path().extension() == ".idl") {
      files.push_back(entry.path().filename().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string expected_error(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  const std::string marker = "// expect: ";
  if (line.rfind(marker, 0) != 0) {
    return "";
  }
  return kErrorsDir + "/" + line.substr(marker.size());
}

class IdlErrorFile : public testing::TestWithParam<std::string> {};

TEST_P(IdlErrorFile, ReportsExpectedFirstError) {
  std::string path = kErrorsDir + "/" + GetParam();
  std::string expected = expected_error(path);
  ASSERT_FALSE(expected.empty()) << path << " lacks a '// expect: ' first line";

  test::Compiled compiled;
  PreprocessorOptions options;
  compiled.spec = compile_file(path, options, compiled.sources, compiled.diagnostics);

  EXPECT_TRUE(compiled.diagnostics.has_errors());
  EXPECT_EQ(compiled.first_error(), expected) << compiled.all_messages();
}

// A member rejected for changing a name's meaning leaves its struct
// without members, which is not reported a second time.
TEST(IdlErrors, RejectedMemberIsReportedOnce) {
  auto compiled = test::compile_text(
      "module M {\n"
      "  enum Color { red };\n"
      "  struct S { Color color; };\n"
      "};\n");
  EXPECT_EQ(compiled->diagnostics.error_count(), 1U) << compiled->all_messages();
}

INSTANTIATE_TEST_SUITE_P(Files, IdlErrorFile, testing::ValuesIn(error_files()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.size() - 4);
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(IdlErrorCorpus, HasAtLeastFortyFiles) {
  EXPECT_GE(error_files().size(), 40U);
}

}  // namespace
}  // namespace orb::idl
