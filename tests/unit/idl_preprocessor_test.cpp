// Unit tests of the IDL preprocessor: macros, conditionals, includes, include
// guards, cycles, pragmas and the locations tokens keep.
#include <idl/preprocessor.hpp>

#include <gtest/gtest.h>

#include <map>

namespace orb::idl {
namespace {

struct Run {
  SourceFiles sources;
  Diagnostics diagnostics{&sources};
  std::vector<Token> tokens;

  // Spellings of the ordinary tokens, space-separated, markers left out.
  std::string text() const {
    std::string out;
    for (const Token& token : tokens) {
      if (token.kind == TokenKind::end_of_file || token.kind == TokenKind::file_enter ||
          token.kind == TokenKind::file_exit || token.kind == TokenKind::pragma) {
        continue;
      }
      out += (out.empty() ? "" : " ") + token.text;
    }
    return out;
  }
  size_t count(TokenKind kind) const {
    return static_cast<size_t>(std::count_if(tokens.begin(), tokens.end(),
                                             [&](const Token& t) { return t.kind == kind; }));
  }
  std::string first_error() const {
    for (const Diagnostic& d : diagnostics.all()) {
      if (d.severity == Severity::error) {
        return to_string(d.location) + ": " + d.message;
      }
    }
    return "";
  }
};

std::unique_ptr<Run> run(const std::map<std::string, std::string>& files,
                         const PreprocessorOptions& options = {}) {
  auto result = std::make_unique<Run>();
  for (const auto& [path, text] : files) {
    result->sources.add(path, text);
  }
  result->tokens = preprocess("main.idl", result->sources, result->diagnostics, options);
  return result;
}

std::unique_ptr<Run> run_text(const std::string& text, const PreprocessorOptions& options = {}) {
  return run({{"main.idl", text}}, options);
}

TEST(IdlPreprocessor, ObjectLikeMacroExpands) {
  auto r = run_text("#define SIZE 10\nconst long N = SIZE;\n");
  EXPECT_EQ(r->text(), "const long N = 10 ;");
  EXPECT_FALSE(r->diagnostics.has_errors());
}

TEST(IdlPreprocessor, ExpansionKeepsInvocationLocation) {
  auto r = run_text("#define SIZE 10\nconst long N =   SIZE;\n");
  const Token& ten = r->tokens[4];
  ASSERT_EQ(ten.text, "10");
  EXPECT_EQ(ten.location, (SourceLocation{"main.idl", 2, 18}));
}

TEST(IdlPreprocessor, FunctionLikeMacroSubstitutesArguments) {
  auto r = run_text("#define SUM(a, b) (a + b)\nconst long N = SUM(1, 2 * 3);\n");
  EXPECT_EQ(r->text(), "const long N = ( 1 + 2 * 3 ) ;");
}

TEST(IdlPreprocessor, NestedMacrosExpandWithoutRecursion) {
  auto r = run_text("#define A B + 1\n#define B A\nA\n");
  EXPECT_EQ(r->text(), "A + 1");
}

TEST(IdlPreprocessor, StringifyAndPaste) {
  auto r = run_text("#define NAME(x) #x\n#define JOIN(a, b) a ## b\nNAME(hello) JOIN(foo, bar)\n");
  EXPECT_EQ(r->text(), "\"hello\" foobar");
}

TEST(IdlPreprocessor, FunctionMacroNameWithoutParensStays) {
  auto r = run_text("#define F(x) x\nF ;\n");
  EXPECT_EQ(r->text(), "F ;");
}

TEST(IdlPreprocessor, UndefRemovesMacro) {
  auto r = run_text("#define X 1\n#undef X\nX\n");
  EXPECT_EQ(r->text(), "X");
}

TEST(IdlPreprocessor, ConditionalsPickOneBranch) {
  auto r = run_text(
      "#define LEVEL 2\n"
      "#if LEVEL == 1\none\n#elif LEVEL == 2\ntwo\n#else\nother\n#endif\n");
  EXPECT_EQ(r->text(), "two");
}

TEST(IdlPreprocessor, DefinedInBothForms) {
  auto r = run_text("#define X\n#if defined X && defined(X) && !defined(Y)\nyes\n#endif\n");
  EXPECT_EQ(r->text(), "yes");
}

TEST(IdlPreprocessor, UnknownIdentifierIsZero) {
  auto r = run_text("#if UNKNOWN\nno\n#else\nyes\n#endif\n");
  EXPECT_EQ(r->text(), "yes");
}

TEST(IdlPreprocessor, ExpressionPrecedenceFollowsC) {
  auto r = run_text(
      "#if 1 + 2 * 3 == 7 && (1 << 4) == 16 && -1 < 0 && (5 & 3 | 8) == 9 && 7 % 4 == 3 && "
      "(0 ? 1 : 2) == 2 && ~0 == -1 && 0x10 == 16 && 010 == 8\nyes\n#endif\n");
  EXPECT_EQ(r->text(), "yes");
  EXPECT_FALSE(r->diagnostics.has_errors()) << r->first_error();
}

TEST(IdlPreprocessor, NestedSkippedConditionals) {
  auto r = run_text("#if 0\n#if 1\nhidden\n#else\nhidden2\n#endif\n#bogus\n#endif\nshown\n");
  EXPECT_EQ(r->text(), "shown");
  EXPECT_FALSE(r->diagnostics.has_errors());
}

TEST(IdlPreprocessor, CommandLineDefineAndUndefine) {
  PreprocessorOptions options;
  options.macros = {{true, "A", "5"}, {true, "B", "1"}, {false, "B", ""}, {true, "C", "1"}};
  auto r = run_text("A\n#ifdef B\nb\n#endif\n#ifdef C\nc\n#endif\n", options);
  EXPECT_EQ(r->text(), "5 c");
}

TEST(IdlPreprocessor, CommentsAndContinuationsVanish) {
  auto r = run_text("a /* one\ntwo */ b // three\n#define LONG 1 + \\\n  2\nLONG c\n");
  EXPECT_EQ(r->text(), "a b 1 + 2 c");
  EXPECT_EQ(r->tokens[1].location, (SourceLocation{"main.idl", 2, 8}));
}

TEST(IdlPreprocessor, QuotedIncludeSearchesIncluderDirectoryFirst) {
  PreprocessorOptions options;
  options.include_dirs = {"inc"};
  auto r = run({{"main.idl", "#include \"sub/a.idl\"\n"},
                {"sub/a.idl", "#include \"b.idl\"\n"},
                {"sub/b.idl", "near\n"},
                {"inc/b.idl", "far\n"}},
               options);
  EXPECT_EQ(r->text(), "near");
}

TEST(IdlPreprocessor, AngleIncludeSearchesIncludeDirs) {
  PreprocessorOptions options;
  options.include_dirs = {"first", "second"};
  auto r = run({{"main.idl", "#include <x.idl>\n"}, {"second/x.idl", "found\n"}}, options);
  EXPECT_EQ(r->text(), "found");
  EXPECT_EQ(r->count(TokenKind::file_enter), 1U);
  EXPECT_EQ(r->count(TokenKind::file_exit), 1U);
}

TEST(IdlPreprocessor, GuardedFileIsNotReadTwice) {
  auto r = run({{"main.idl", "#include \"g.idl\"\n#include \"g.idl\"\nend\n"},
                {"g.idl", "#ifndef G\n#define G\nguarded\n#endif\n"}});
  EXPECT_EQ(r->text(), "guarded end");
  // The second #include is skipped before the file is opened: no second marker.
  EXPECT_EQ(r->count(TokenKind::file_enter), 1U);
}

TEST(IdlPreprocessor, UnguardedFileIsReadTwice) {
  auto r = run({{"main.idl", "#include \"u.idl\"\n#include \"u.idl\"\n"}, {"u.idl", "u\n"}});
  EXPECT_EQ(r->text(), "u u");
}

TEST(IdlPreprocessor, CyclicIncludeIsReportedWithNotes) {
  auto r = run({{"main.idl", "#include \"a.idl\"\n"},
                {"a.idl", "#include \"b.idl\"\n"},
                {"b.idl", "#include \"a.idl\"\n"}});
  ASSERT_TRUE(r->diagnostics.has_errors());
  const Diagnostic& error = r->diagnostics.all().front();
  EXPECT_EQ(to_string(error.location), "b.idl:1:2");
  EXPECT_EQ(error.message, "cyclic #include of 'a.idl'");
  ASSERT_EQ(error.notes.size(), 1U);
  EXPECT_EQ(to_string(error.notes[0].location), "a.idl:1:2");
}

TEST(IdlPreprocessor, GuardedCycleIsHarmless) {
  auto r = run({{"main.idl", "#include \"a.idl\"\n"},
                {"a.idl", "#ifndef A\n#define A\n#include \"b.idl\"\na\n#endif\n"},
                {"b.idl", "#ifndef B\n#define B\n#include \"a.idl\"\nb\n#endif\n"}});
  EXPECT_FALSE(r->diagnostics.has_errors()) << r->first_error();
  EXPECT_EQ(r->text(), "b a");
}

TEST(IdlPreprocessor, PragmasPassThroughWithArguments) {
  auto r = run_text("#pragma prefix \"omg.org\"\n#pragma version T 1.2\n");
  ASSERT_EQ(r->count(TokenKind::pragma), 2U);
  EXPECT_EQ(r->tokens[0].text, "prefix");
  ASSERT_EQ(r->tokens[0].pragma_args.size(), 1U);
  EXPECT_EQ(r->tokens[0].pragma_args[0].text, "\"omg.org\"");
  EXPECT_EQ(r->tokens[0].location, (SourceLocation{"main.idl", 1, 1}));
  EXPECT_EQ(r->tokens[1].pragma_args.size(), 2U);
}

TEST(IdlPreprocessor, PragmaInSkippedBlockIsDropped) {
  auto r = run_text("#if 0\n#pragma prefix \"x\"\n#endif\n");
  EXPECT_EQ(r->count(TokenKind::pragma), 0U);
}

TEST(IdlPreprocessor, ErrorDirectiveReports) {
  auto r = run_text("#error no way\n");
  EXPECT_EQ(r->first_error(), "main.idl:1:2: #error no way");
}

TEST(IdlPreprocessor, ElseAfterElseReports) {
  auto r = run_text("#if 1\n#else\n#else\n#endif\n");
  EXPECT_EQ(r->first_error(), "main.idl:3:2: #else after #else");
}

TEST(IdlPreprocessor, DivisionByZeroInIfReports) {
  auto r = run_text("#if 1 / 0\n#endif\n");
  EXPECT_EQ(r->first_error(), "main.idl:1:7: division by zero in preprocessor expression");
}

}  // namespace
}  // namespace orb::idl
