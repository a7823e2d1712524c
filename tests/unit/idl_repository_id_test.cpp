// Unit tests of repository ids: default ids, #pragma prefix with its module
// and file scoping, #pragma version and ID, typeprefix and typeid.
#include <tests/idl/idl_test_util.hpp>

#include <gtest/gtest.h>

namespace orb::idl {
namespace {

using test::compile_sources;
using test::compile_text;

std::string id_of(const test::Compiled& compiled, const std::string& name) {
  Decl* decl = compiled.find(name);
  EXPECT_NE(decl, nullptr) << name;
  return decl != nullptr ? decl->repository_id : "";
}

TEST(IdlRepositoryId, DefaultIdsUseScopedNames) {
  auto c = compile_text(
      "module M { interface I { void op(); attribute long a; }; struct S { struct Inner "
      "{ long x; } i; }; };");
  ASSERT_FALSE(c->diagnostics.has_errors()) << c->all_messages();
  EXPECT_EQ(id_of(*c, "::M"), "IDL:M:1.0");
  EXPECT_EQ(id_of(*c, "::M::I"), "IDL:M/I:1.0");
  EXPECT_EQ(id_of(*c, "::M::I::op"), "IDL:M/I/op:1.0");
  EXPECT_EQ(id_of(*c, "::M::I::a"), "IDL:M/I/a:1.0");
  EXPECT_EQ(id_of(*c, "::M::S::Inner"), "IDL:M/S/Inner:1.0");
}

TEST(IdlRepositoryId, PragmaPrefixAnchorsAtItsScope) {
  auto c = compile_text(
      "module M1 {\n"
      "  typedef long T1;\n"
      "  typedef long T2;\n"
      "#pragma ID T2 \"DCE:d62207a2-011e-11ce-88b4-0800090b5d3e:3\"\n"
      "};\n"
      "#pragma prefix \"P1\"\n"
      "module M2 {\n"
      "  module M3 {\n"
      "#pragma prefix \"P2\"\n"
      "    typedef long T3;\n"
      "  };\n"
      "  typedef long T4;\n"
      "#pragma version T4 2.4\n"
      "};\n");
  ASSERT_FALSE(c->diagnostics.has_errors()) << c->all_messages();
  EXPECT_EQ(id_of(*c, "::M1::T1"), "IDL:M1/T1:1.0");
  EXPECT_EQ(id_of(*c, "::M1::T2"), "DCE:d62207a2-011e-11ce-88b4-0800090b5d3e:3");
  EXPECT_EQ(id_of(*c, "::M2::M3::T3"), "IDL:P2/T3:1.0");
  EXPECT_EQ(id_of(*c, "::M2::T4"), "IDL:P1/M2/T4:2.4");
  EXPECT_EQ(id_of(*c, "::M2"), "IDL:P1/M2:1.0");
  EXPECT_EQ(id_of(*c, "::M2::M3"), "IDL:P1/M2/M3:1.0");
}

TEST(IdlRepositoryId, PrefixIsScopedToItsFile) {
  auto c = compile_sources({{"main.idl",
                             "#pragma prefix \"main.org\"\n"
                             "#include \"inc.idl\"\n"
                             "interface Main {};\n"},
                            {"inc.idl",
                             "interface Plain {};\n"
                             "#pragma prefix \"inc.org\"\n"
                             "interface Prefixed {};\n"}},
                           "main.idl");
  ASSERT_FALSE(c->diagnostics.has_errors()) << c->all_messages();
  EXPECT_EQ(id_of(*c, "::Plain"), "IDL:Plain:1.0");
  EXPECT_EQ(id_of(*c, "::Prefixed"), "IDL:inc.org/Prefixed:1.0");
  EXPECT_EQ(id_of(*c, "::Main"), "IDL:main.org/Main:1.0");
}

TEST(IdlRepositoryId, TypePrefixAppliesToScopeAndContents) {
  auto c = compile_text(
      "module CosNaming { typeprefix CosNaming \"omg.org\"; interface NamingContext {}; };\n"
      "module Other { interface X {}; };\n"
      "typeprefix Other \"acme.com\";\n");
  ASSERT_FALSE(c->diagnostics.has_errors()) << c->all_messages();
  EXPECT_EQ(id_of(*c, "::CosNaming"), "IDL:omg.org/CosNaming:1.0");
  EXPECT_EQ(id_of(*c, "::CosNaming::NamingContext"), "IDL:omg.org/CosNaming/NamingContext:1.0");
  EXPECT_EQ(id_of(*c, "::Other::X"), "IDL:acme.com/Other/X:1.0");
}

TEST(IdlRepositoryId, TypeIdSetsTheWholeId) {
  auto c = compile_text("interface I {}; typeid I \"IDL:custom/Thing:3.1\";");
  ASSERT_FALSE(c->diagnostics.has_errors()) << c->all_messages();
  EXPECT_EQ(id_of(*c, "::I"), "IDL:custom/Thing:3.1");
}

TEST(IdlRepositoryId, ForwardDeclarationsAndReopenedModulesShareIds) {
  auto c = compile_text(
      "#pragma prefix \"p\"\n"
      "module M { interface I; };\n"
      "module M { interface I {}; };\n");
  ASSERT_FALSE(c->diagnostics.has_errors()) << c->all_messages();
  size_t modules = 0;
  for (const auto& decl : c->spec->decls) {
    if (decl->builtin) {
      continue;
    }
    if (decl->kind == DeclKind::module) {
      EXPECT_EQ(decl->repository_id, "IDL:p/M:1.0");
      ++modules;
    }
    if (decl->kind == DeclKind::interface_forward || decl->kind == DeclKind::interface) {
      EXPECT_EQ(decl->repository_id, "IDL:p/M/I:1.0");
    }
  }
  EXPECT_EQ(modules, 2U);
}

TEST(IdlRepositoryId, ConflictingPragmaIdReports) {
  auto c =
      compile_text("typedef long T;\n#pragma ID T \"IDL:a:1.0\"\n#pragma ID T \"IDL:b:1.0\"\n");
  EXPECT_EQ(c->first_error(),
            "test.idl:3:14: error: repository id of 'T' already set to 'IDL:a:1.0'");
}

}  // namespace
}  // namespace orb::idl
