// Unit tests of the IDL parser: the shape of the AST it builds and the
// declarations scoped names resolve to.
#include <tests/idl/idl_test_util.hpp>

#include <gtest/gtest.h>

namespace orb::idl {
namespace {

using test::compile_text;

template <typename T>
T* get(const test::Compiled& compiled, const std::string& name) {
  auto* decl = dynamic_cast<T*>(compiled.find(name));
  EXPECT_NE(decl, nullptr) << name;
  return decl;
}

TEST(IdlParser, ModulesReopenIntoOneScope) {
  auto c = compile_text("module M { typedef long A; }; module M { typedef A B; };");
  ASSERT_FALSE(c->diagnostics.has_errors()) << c->all_messages();
  auto* b = get<Alias>(*c, "::M::B");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->type->decl, c->find("::M::A"));
  EXPECT_EQ(c->spec->definitions.size() - 1, 2U);  // two module nodes after the prelude's CORBA
}

TEST(IdlParser, InterfacesWithInheritanceAndForwardDeclarations) {
  auto c = compile_text(
      "interface B; abstract interface Abs {}; local interface Loc {};\n"
      "interface A { void f(in B target); };\n"
      "interface B : A, Abs { oneway void g(in long x); };\n"
      "local interface L2 : Loc, A {};\n");
  ASSERT_FALSE(c->diagnostics.has_errors()) << c->all_messages();
  auto* b = get<Interface>(*c, "::B");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->defined);
  ASSERT_EQ(b->bases.size(), 2U);
  EXPECT_EQ(b->bases[0]->name, "A");
  EXPECT_TRUE(b->bases[1]->is_abstract);
  EXPECT_TRUE(get<Interface>(*c, "::L2")->is_local);
  auto* f = get<Operation>(*c, "::A::f");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->parameters[0]->type->decl, b);  // the forward declaration resolved to B
}

TEST(IdlParser, OperationsWithDirectionsRaisesAndContext) {
  auto c = compile_text(
      "exception E1 { string why; }; exception E2 {};\n"
      "interface I { long op(in short a, out string b, inout any c) raises (E1, E2) "
      "context (\"user\", \"lang*\"); };");
  ASSERT_FALSE(c->diagnostics.has_errors()) << c->all_messages();
  auto* op = get<Operation>(*c, "::I::op");
  ASSERT_NE(op, nullptr);
  ASSERT_EQ(op->parameters.size(), 3U);
  EXPECT_EQ(op->parameters[1]->direction, ParamDirection::out);
  EXPECT_EQ(op->parameters[2]->direction, ParamDirection::inout);
  EXPECT_EQ(op->parameters[2]->type->kind, TypeKind::any_type);
  ASSERT_EQ(op->raises.size(), 2U);
  EXPECT_EQ(op->raises[1]->name, "E2");
  EXPECT_EQ(op->contexts, (std::vector<std::string>{"user", "lang*"}));
  EXPECT_EQ(op->location, (SourceLocation{"test.idl", 2, 20}));
}

TEST(IdlParser, AttributesWithSeveralDeclaratorsAndRaises) {
  auto c = compile_text(
      "exception E {};\n"
      "interface I { readonly attribute long a, b; attribute string s getraises (E) "
      "setraises (E); readonly attribute short r raises (E); };");
  ASSERT_FALSE(c->diagnostics.has_errors()) << c->all_messages();
  EXPECT_TRUE(get<Attribute>(*c, "::I::a")->readonly);
  EXPECT_TRUE(get<Attribute>(*c, "::I::b")->readonly);
  EXPECT_EQ(get<Attribute>(*c, "::I::s")->set_raises.size(), 1U);
  EXPECT_EQ(get<Attribute>(*c, "::I::r")->get_raises.size(), 1U);
}

TEST(IdlParser, TypesOfEveryKind) {
  auto c = compile_text(
      "typedef sequence<sequence<long, 3>> Nested;\n"
      "typedef string<10> Name; typedef wstring<5> WName;\n"
      "typedef fixed<9, 2> Money;\n"
      "typedef unsigned long long Big; typedef long double Huge;\n"
      "typedef long Matrix[2][3], Single;\n"
      "typedef Object Ref; typedef ValueBase VB; native Handle;\n");
  ASSERT_FALSE(c->diagnostics.has_errors()) << c->all_messages();
  const Type& nested = *get<Alias>(*c, "::Nested")->type;
  EXPECT_EQ(nested.kind, TypeKind::sequence_type);
  EXPECT_EQ(nested.element->bound, 3U);
  EXPECT_EQ(get<Alias>(*c, "::Name")->type->bound, 10U);
  EXPECT_EQ(get<Alias>(*c, "::WName")->type->kind, TypeKind::wstring_type);
  EXPECT_EQ(get<Alias>(*c, "::Money")->type->digits, 9U);
  EXPECT_EQ(get<Alias>(*c, "::Money")->type->scale, 2U);
  EXPECT_EQ(get<Alias>(*c, "::Big")->type->kind, TypeKind::unsigned_long_long_type);
  EXPECT_EQ(get<Alias>(*c, "::Huge")->type->kind, TypeKind::long_double_type);
  const Type& matrix = *get<Alias>(*c, "::Matrix")->type;
  EXPECT_EQ(matrix.kind, TypeKind::array_type);
  EXPECT_EQ(matrix.dimensions, (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(describe(matrix), "long[2][3]");
  EXPECT_EQ(get<Alias>(*c, "::Single")->type->kind, TypeKind::long_type);
  EXPECT_EQ(get<Alias>(*c, "::VB")->type->kind, TypeKind::value_base_type);
  EXPECT_NE(get<Native>(*c, "::Handle"), nullptr);
}

TEST(IdlParser, UnionsWithEveryDiscriminatorKind) {
  auto c = compile_text(
      "enum Kind { k1, k2, k3 }; typedef Kind KindAlias;\n"
      "union U1 switch (KindAlias) { case k1: case k2: long a; default: string s; };\n"
      "union U2 switch (char) { case 'a': long a; case 'b': short b; };\n"
      "union U3 switch (boolean) { case TRUE: long a; };\n"
      "union U4 switch (unsigned long long) { case 18446744073709551615: long a; };\n"
      "union U5 switch (wchar) { case L'x': long a; };\n"
      "union U6 switch (enum Inner { i1, i2 }) { case i1: long a; };\n");
  ASSERT_FALSE(c->diagnostics.has_errors()) << c->all_messages();
  auto* u1 = get<Union>(*c, "::U1");
  ASSERT_NE(u1, nullptr);
  ASSERT_EQ(u1->branches.size(), 2U);
  EXPECT_EQ(u1->branches[0]->labels.size(), 2U);
  EXPECT_EQ(u1->branches[0]->labels[1].value.enumerator->name, "k2");
  EXPECT_TRUE(u1->branches[1]->labels[0].is_default);
  EXPECT_EQ(get<Union>(*c, "::U2")->branches[1]->labels[0].value.character,
            static_cast<uint32_t>('b'));
  EXPECT_NE(c->find("::U6::Inner"), nullptr);
}

TEST(IdlParser, RecursionThroughSequencesIsAllowed) {
  auto c = compile_text(
      "struct Node; typedef sequence<Node> Children;\n"
      "struct Node { long value; Children kids; sequence<Node> more; };\n"
      "union Tree; typedef sequence<Tree> Forest;\n"
      "union Tree switch (long) { case 0: long leaf; case 1: Forest branches; };\n");
  ASSERT_FALSE(c->diagnostics.has_errors()) << c->all_messages();
  auto* node = get<Struct>(*c, "::Node");
  ASSERT_NE(node, nullptr);
  EXPECT_TRUE(node->defined);
  EXPECT_EQ(node->members.size(), 3U);
}

TEST(IdlParser, InlineStructInTypedef) {
  auto c = compile_text("typedef struct NVP { string name; any value; } NameValuePair;");
  ASSERT_FALSE(c->diagnostics.has_errors()) << c->all_messages();
  EXPECT_EQ(get<Alias>(*c, "::NameValuePair")->type->decl, c->find("::NVP"));
}

TEST(IdlParser, EscapedIdentifiersNameKeywords) {
  auto c = compile_text("interface _interface { void _oneway(); }; typedef _interface Alias;");
  ASSERT_FALSE(c->diagnostics.has_errors()) << c->all_messages();
  EXPECT_NE(c->find("::interface::oneway"), nullptr);
}

TEST(IdlParser, ValuetypeIsSkippedSoLaterDefinitionsParse) {
  auto c = compile_text(
      "valuetype V { public long x; factory make(in long x); };\n"
      "interface After { void f(); };\n");
  ASSERT_EQ(c->diagnostics.error_count(), 1U) << c->all_messages();
  EXPECT_EQ(c->first_error(), "test.idl:1:1: error: valuetype is not supported yet");
  EXPECT_NE(c->find("::After::f"), nullptr);
}

TEST(IdlParser, SeveralErrorsAreReported) {
  auto c = compile_text("typedef Missing1 A;\ntypedef Missing2 B;\nstruct S { long a; }\n");
  EXPECT_EQ(c->diagnostics.error_count(), 3U) << c->all_messages();
}

TEST(IdlParser, ErrorLimitStopsAtTwenty) {
  std::string idl;
  for (int i = 0; i < 50; ++i) {
    idl += "typedef Missing" + std::to_string(i) + " T" + std::to_string(i) + ";\n";
  }
  auto c = compile_text(idl);
  EXPECT_EQ(c->diagnostics.all().size(), Diagnostics::kDefaultMaxErrors);
  EXPECT_TRUE(c->diagnostics.error_limit_reached());
}

TEST(IdlParser, DiagnosticFormatQuotesSourceLine) {
  auto c = compile_text("module M {\n\ttypedef Nope T;\n};\n");
  ASSERT_EQ(c->diagnostics.all().size(), 1U);
  EXPECT_EQ(c->diagnostics.format(c->diagnostics.all()[0]),
            "test.idl:2:10: error: 'Nope' was not declared in this scope\n"
            "\ttypedef Nope T;\n"
            "\t        ^\n");
}

TEST(IdlParser, NotesFollowTheirError) {
  auto c = compile_text("typedef long T;\ntypedef short T;\n");
  ASSERT_EQ(c->diagnostics.all().size(), 1U);
  EXPECT_EQ(c->diagnostics.format(c->diagnostics.all()[0]),
            "test.idl:2:15: error: redefinition of 'T'\n"
            "typedef short T;\n"
            "              ^\n"
            "test.idl:1:14: note: previous definition of 'T' is here\n"
            "typedef long T;\n"
            "             ^\n");
}

}  // namespace
}  // namespace orb::idl
