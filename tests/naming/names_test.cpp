// The INS string form of names: escapes, round trips, the names that
// to_name() rejects, and the corbaname: URLs of to_url().
#include <orb/naming/names.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace orb::naming {
namespace {

using CosNaming::Name;
using CosNaming::NameComponent;
using InvalidName = CosNaming::NamingContext::InvalidName;

TEST(NamesTest, FormatsIdsAndKinds) {
  EXPECT_EQ(to_string(Name{{"a", ""}}), "a");
  EXPECT_EQ(to_string(Name{{"a", "k"}}), "a.k");
  EXPECT_EQ(to_string(Name{{"", "k"}}), ".k");
  EXPECT_EQ(to_string(Name{{"", ""}}), ".");
  EXPECT_EQ(to_string(Name{{"a", "b"}, {"c", ""}, {"d", "e"}}), "a.b/c/d.e");
}

TEST(NamesTest, EscapesSpecialCharacters) {
  EXPECT_EQ(to_string(Name{{"a/b", ""}}), "a\\/b");
  EXPECT_EQ(to_string(Name{{"a.b", "c.d"}}), "a\\.b.c\\.d");
  EXPECT_EQ(to_string(Name{{"back\\slash", "/"}}), "back\\\\slash.\\/");
}

TEST(NamesTest, ParsesEscapes) {
  EXPECT_EQ(to_name("a\\/b"), (Name{{"a/b", ""}}));
  EXPECT_EQ(to_name("a\\.b.c\\.d"), (Name{{"a.b", "c.d"}}));
  EXPECT_EQ(to_name("x\\\\/y"), (Name{{"x\\", ""}, {"y", ""}}));
  EXPECT_EQ(to_name("."), (Name{{"", ""}}));
  EXPECT_EQ(to_name(".k"), (Name{{"", "k"}}));
  EXPECT_EQ(to_name("id."), (Name{{"id", ""}}));
}

TEST(NamesTest, RoundTripsEveryShape) {
  std::vector<Name> names = {
      {{"a", ""}},
      {{"a", "b"}, {"", "c"}, {"", ""}},
      {{"/", "."}, {"\\", "\\\\"}, {"a.b/c", "d\\e"}},
      {{"space id", "kind with space"}},
      {{"\xc3\xbc", "\xe2\x82\xac"}},  // UTF-8 passes through untouched
  };
  for (const Name& name : names) {
    std::string text = to_string(name);
    EXPECT_EQ(to_name(text), name) << text;
    EXPECT_EQ(to_string(to_name(text)), text);
  }
}

TEST(NamesTest, RejectsInvalidStrings) {
  for (const char* text : {"", "/", "a/", "/a", "a//b", "a.b.c", "a\\", "a/b\\"}) {
    EXPECT_THROW(to_name(text), InvalidName) << "'" << text << "'";
  }
}

TEST(NamesTest, RejectsEmptyName) {
  EXPECT_THROW(to_string(Name{}), InvalidName);
}

TEST(NamesTest, BuildsCorbanameUrls) {
  EXPECT_EQ(to_url(":127.0.0.1:2809", "a/b.c"), "corbaname::127.0.0.1:2809#a/b.c");
  EXPECT_EQ(to_url("iiop:1.2@host:5000/Ctx", "x"), "corbaname:iiop:1.2@host:5000/Ctx#x");
  EXPECT_EQ(to_url(":h", "with space/100%"), "corbaname::h#with%20space/100%25");
  EXPECT_EQ(to_url(":h", "a\\/b"), "corbaname::h#a%5c/b");
}

TEST(NamesTest, UrlRejectsBadAddressAndName) {
  EXPECT_THROW(to_url("nonsense:host", "a"), CosNaming::NamingContextExt::InvalidAddress);
  EXPECT_THROW(to_url(":host:notaport", "a"), CosNaming::NamingContextExt::InvalidAddress);
  EXPECT_THROW(to_url(":host", "a//b"), InvalidName);
}

}  // namespace
}  // namespace orb::naming
