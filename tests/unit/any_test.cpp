// Any: insertion and extraction, CDR round trips across byte orders, and
// values that do not match their TypeCode.
#include <orb/any/any.hpp>
#include <orb/minor.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>

namespace orb {
namespace {

using Bytes = std::vector<uint8_t>;

Any round_trip(const Any& any, cdr::ByteOrder order) {
  cdr::Encoder encoder(order);
  encoder.write_octet(3);  // misaligns the any
  cdr::encode(encoder, any);
  Bytes bytes = encoder.take_bytes();
  cdr::Decoder decoder(bytes, order);
  decoder.read_octet();
  Any decoded = cdr::decode<Any>(decoder);
  EXPECT_TRUE(decoder.at_end());
  return decoded;
}

class AnyRoundTrip : public ::testing::TestWithParam<cdr::ByteOrder> {};

TEST_P(AnyRoundTrip, Primitives) {
  int64_t big = 0;
  EXPECT_TRUE(round_trip(Any::from<int64_t>(-5), GetParam()).extract(big));
  EXPECT_EQ(big, -5);
  long double wide = 0;
  EXPECT_TRUE(round_trip(Any::from(1.5L), GetParam()).extract(wide));
  EXPECT_EQ(wide, 1.5L);
  std::wstring text;
  EXPECT_TRUE(round_trip(Any::from(std::wstring(L"\u00E9t\u00E9")), GetParam()).extract(text));
  EXPECT_EQ(text, L"\u00E9t\u00E9");
}

TEST_P(AnyRoundTrip, Containers) {
  std::vector<std::string> names{"a", "bc"};
  std::vector<std::string> names_out;
  EXPECT_TRUE(round_trip(Any::from(names), GetParam()).extract(names_out));
  EXPECT_EQ(names_out, names);
  std::array<double, 2> pair{1.0, -2.0};
  std::array<double, 2> pair_out{};
  EXPECT_TRUE(round_trip(Any::from(pair), GetParam()).extract(pair_out));
  EXPECT_EQ(pair_out, pair);
}

TEST_P(AnyRoundTrip, AnyInsideAny) {
  Any inner = Any::from(std::string("nested"));
  Any outer = Any::from(inner);
  Any decoded = round_trip(outer, GetParam());
  Any inner_out;
  ASSERT_TRUE(decoded.extract(inner_out));
  std::string text;
  EXPECT_TRUE(inner_out.extract(text));
  EXPECT_EQ(text, "nested");
}

INSTANTIATE_TEST_SUITE_P(BothByteOrders, AnyRoundTrip,
                         ::testing::Values(cdr::ByteOrder::big_endian,
                                           cdr::ByteOrder::little_endian));

TEST(Any, ExtractWrongTypeFails) {
  Any any = Any::from<int32_t>(7);
  int64_t wrong = 0;
  EXPECT_FALSE(any.extract(wrong));
  int32_t right = 0;
  EXPECT_TRUE(any.extract(right));
  EXPECT_EQ(right, 7);
}

TEST(Any, EmptyIsNull) {
  Any any;
  EXPECT_EQ(any.type()->kind(), TCKind::tk_null);
  EXPECT_EQ(round_trip(any, cdr::ByteOrder::big_endian), any);
}

TEST(AnyCopyValue, RecursiveStructAndUnion) {
  // struct Node { long value; sequence<Node> children; } holding 1 -> (2, 3 -> (4)).
  TypeCodeRef node = TypeCode::structure(
      "IDL:Node:1.0", "Node",
      {{"value", TypeCode::basic(TCKind::tk_long), 0},
       {"children", TypeCode::sequence(TypeCode::recursive("IDL:Node:1.0")), 0}});
  cdr::Encoder source(cdr::ByteOrder::big_endian);
  source.write_long(1);
  source.write_ulong(2);
  source.write_long(2);
  source.write_ulong(0);
  source.write_long(3);
  source.write_ulong(1);
  source.write_long(4);
  source.write_ulong(0);
  cdr::Decoder from(source.bytes(), cdr::ByteOrder::big_endian);
  cdr::Encoder to(cdr::ByteOrder::little_endian);
  copy_value(*node, from, to);
  EXPECT_TRUE(from.at_end());
  EXPECT_EQ(to.bytes().size(), source.bytes().size());
  cdr::Decoder check(to.bytes(), cdr::ByteOrder::little_endian);
  EXPECT_EQ(check.read_long(), 1);
  EXPECT_EQ(check.read_ulong(), 2U);
}

TEST(AnyCopyValue, UnionSelectsLabelledOrDefaultMember) {
  TypeCodeRef u = TypeCode::union_type("IDL:U:1.0", "U", TypeCode::basic(TCKind::tk_short), 1,
                                       {{"number", TypeCode::basic(TCKind::tk_double), 5},
                                        {"other", TypeCode::basic(TCKind::tk_octet), 0}});
  cdr::Encoder source(cdr::ByteOrder::big_endian);
  source.write_short(5);
  source.write_double(2.5);
  source.write_short(9);  // no label 9, so the default member follows
  source.write_octet(0x7F);
  cdr::Decoder from(source.bytes(), cdr::ByteOrder::big_endian);
  cdr::Encoder to(cdr::ByteOrder::big_endian);
  copy_value(*u, from, to);
  copy_value(*u, from, to);
  EXPECT_TRUE(from.at_end());
  EXPECT_EQ(to.bytes(), source.bytes());
}

TEST(AnyDecodeError, EnumValueOutOfRange) {
  TypeCodeRef color = TypeCode::enumeration("IDL:C:1.0", "C", {"red", "green"});
  cdr::Encoder encoder(cdr::ByteOrder::big_endian);
  encode(encoder, *color);
  encoder.align(4);
  size_t value_offset = encoder.size();
  encoder.write_ulong(2);
  cdr::Decoder decoder(encoder.bytes(), cdr::ByteOrder::big_endian);
  Any any;
  try {
    any.decode(decoder);
    FAIL() << "enum value 2 of 2 enumerators accepted";
  } catch (const cdr::DecodeError& error) {
    EXPECT_EQ(error.minor(), minor::kInvalidValue);
    EXPECT_EQ(error.offset(), value_offset);
  }
}

TEST(AnyDecode, HugeArrayOfNullsEndsQuickly) {
  // A null takes no bytes on the wire, so this array of arrays reads
  // nothing. Its lengths must not make the copy run once per element,
  // which here would be 2^64 times.
  TypeCodeRef nulls = TypeCode::array(TypeCode::basic(TCKind::tk_null), 0xFFFFFFFF);
  TypeCodeRef type = TypeCode::array(nulls, 0xFFFFFFFF);
  cdr::Encoder encoder(cdr::ByteOrder::big_endian);
  encode(encoder, *type);
  encoder.write_ulong(7);
  Bytes bytes = encoder.take_bytes();
  EXPECT_EXIT(
      {
        alarm(10);  // SIGALRM ends the child if the copy has not ended by then
        cdr::Decoder decoder(bytes, cdr::ByteOrder::big_endian);
        Any any;
        any.decode(decoder);
        std::_Exit(decoder.read_ulong() == 7 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(AnyDecodeError, DeeplyNestedAnysRejected) {
  // 200 nested anys: each is just the kind tk_any, then a final long.
  cdr::Encoder encoder(cdr::ByteOrder::big_endian);
  for (int i = 0; i < 200; ++i) {
    encoder.write_ulong(static_cast<uint32_t>(TCKind::tk_any));
  }
  encoder.write_ulong(static_cast<uint32_t>(TCKind::tk_long));
  encoder.write_long(1);
  cdr::Decoder decoder(encoder.bytes(), cdr::ByteOrder::big_endian);
  Any any;
  try {
    any.decode(decoder);
    FAIL() << "200 nested anys accepted";
  } catch (const cdr::DecodeError& error) {
    EXPECT_EQ(error.minor(), minor::kTypeCodeTooDeep);
  }
}

TEST(AnyDecodeError, BoundedStringTooLong) {
  cdr::Encoder encoder(cdr::ByteOrder::big_endian);
  encode(encoder, *TypeCode::string(2));
  encoder.write_string("abc");
  cdr::Decoder decoder(encoder.bytes(), cdr::ByteOrder::big_endian);
  Any any;
  EXPECT_THROW(any.decode(decoder), MARSHAL);
}

}  // namespace
}  // namespace orb
