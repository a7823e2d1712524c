// TypeCodes: CDR round trips of every kind in both byte orders, recursive
// types through indirections, and rejection of hostile encodings.
#include <orb/any/typecode.hpp>
#include <orb/minor.hpp>

#include <gtest/gtest.h>

namespace orb {
namespace {

using Bytes = std::vector<uint8_t>;

TypeCodeRef round_trip(const TypeCodeRef& type, cdr::ByteOrder order) {
  cdr::Encoder encoder(order);
  encoder.write_octet(1);  // misaligns the TypeCode
  encode(encoder, *type);
  Bytes bytes = encoder.take_bytes();
  cdr::Decoder decoder(bytes, order);
  decoder.read_octet();
  TypeCodeRef decoded = decode_typecode(decoder);
  EXPECT_TRUE(decoder.at_end());
  return decoded;
}

TypeCodeRef sample_union() {
  TypeCodeRef color = TypeCode::enumeration("IDL:Test/Color:1.0", "Color", {"red", "green"});
  return TypeCode::union_type(
      "IDL:Test/U:1.0", "U", color, 1,
      {{"number", TypeCode::basic(TCKind::tk_long), 0}, {"text", TypeCode::string(), 0}});
}

class TypeCodeRoundTrip : public ::testing::TestWithParam<cdr::ByteOrder> {};

TEST_P(TypeCodeRoundTrip, EveryKind) {
  std::vector<TypeCodeRef> types = {
      TypeCode::basic(TCKind::tk_null),
      TypeCode::basic(TCKind::tk_longdouble),
      TypeCode::basic(TCKind::tk_any),
      TypeCode::basic(TCKind::tk_TypeCode),
      TypeCode::string(10),
      TypeCode::wstring(),
      TypeCode::fixed(9, 2),
      TypeCode::sequence(TypeCode::basic(TCKind::tk_octet), 16),
      TypeCode::array(TypeCode::basic(TCKind::tk_double), 3),
      TypeCode::alias("IDL:Test/Name:1.0", "Name", TypeCode::string()),
      TypeCode::structure("IDL:Test/S:1.0", "S",
                          {{"a", TypeCode::basic(TCKind::tk_short), 0},
                           {"b", TypeCode::sequence(TypeCode::string(), 0), 0}}),
      TypeCode::exception("IDL:Test/E:1.0", "E", {{"why", TypeCode::string(), 0}}),
      TypeCode::enumeration("IDL:Test/Color:1.0", "Color", {"red", "green", "blue"}),
      TypeCode::interface(TCKind::tk_objref, "IDL:Test/I:1.0", "I"),
      TypeCode::interface(TCKind::tk_local_interface, "IDL:Test/L:1.0", "L"),
      sample_union(),
      TypeCode::union_type("IDL:Test/B:1.0", "B", TypeCode::basic(TCKind::tk_boolean), -1,
                           {{"yes", TypeCode::basic(TCKind::tk_long), 1},
                            {"no", TypeCode::basic(TCKind::tk_char), 0}}),
  };
  for (const TypeCodeRef& type : types) {
    SCOPED_TRACE("kind " + std::to_string(static_cast<uint32_t>(type->kind())));
    TypeCodeRef decoded = round_trip(type, GetParam());
    EXPECT_TRUE(decoded->equal(*type));
  }
}

TEST_P(TypeCodeRoundTrip, RecursiveStructThroughSequence) {
  // struct Node { long value; sequence<Node> children; };
  TypeCodeRef node = TypeCode::structure(
      "IDL:Test/Node:1.0", "Node",
      {{"value", TypeCode::basic(TCKind::tk_long), 0},
       {"children", TypeCode::sequence(TypeCode::recursive("IDL:Test/Node:1.0")), 0}});
  TypeCodeRef decoded = round_trip(node, GetParam());
  ASSERT_TRUE(decoded->equal(*node));
  const TypeCodeRef& element = decoded->members()[1].type->content_type();
  EXPECT_TRUE(element->is_recursive_reference());
  EXPECT_EQ(element->id(), "IDL:Test/Node:1.0");
}

INSTANTIATE_TEST_SUITE_P(BothByteOrders, TypeCodeRoundTrip,
                         ::testing::Values(cdr::ByteOrder::big_endian,
                                           cdr::ByteOrder::little_endian));

TEST(TypeCodeGolden, IndirectionPointsBackAtStructKind) {
  TypeCodeRef node = TypeCode::structure(
      "IDL:N:1.0", "N", {{"next", TypeCode::sequence(TypeCode::recursive("IDL:N:1.0")), 0}});
  cdr::Encoder encoder(cdr::ByteOrder::big_endian);
  encode(encoder, *node);
  const Bytes& bytes = encoder.bytes();
  // The last 8 bytes are the marker and the offset; the sequence bound follows them,
  // so they sit at [size-12, size-4). The offset counts from its own position back to 0.
  size_t marker = bytes.size() - 12;
  EXPECT_EQ(Bytes(bytes.begin() + marker, bytes.begin() + marker + 4),
            (Bytes{0xFF, 0xFF, 0xFF, 0xFF}));
  cdr::Decoder offset_reader(std::span<const uint8_t>(bytes).subspan(marker + 4, 4),
                             cdr::ByteOrder::big_endian);
  EXPECT_EQ(offset_reader.read_long(), -static_cast<int32_t>(marker + 4));
}

TEST(TypeCodeGolden, SimpleKinds) {
  cdr::Encoder encoder(cdr::ByteOrder::big_endian);
  encode(encoder, *TypeCode::string(5));
  encode(encoder, *TypeCode::basic(TCKind::tk_long));
  EXPECT_EQ(encoder.bytes(), (Bytes{0, 0, 0, 18, 0, 0, 0, 5, 0, 0, 0, 3}));
}

cdr::DecodeError expect_rejected(const Bytes& bytes) {
  cdr::Decoder decoder(bytes, cdr::ByteOrder::big_endian);
  try {
    decode_typecode(decoder);
  } catch (const cdr::DecodeError& error) {
    return error;
  }
  ADD_FAILURE() << "TypeCode accepted";
  return cdr::DecodeError(0, 0, "", "");
}

TEST(TypeCodeDecodeError, UnknownKind) {
  auto error = expect_rejected(Bytes{0, 0, 0, 99});
  EXPECT_EQ(error.minor(), minor::kInvalidValue);
  EXPECT_EQ(error.offset(), 4U);
}

TEST(TypeCodeDecodeError, ValueTypeUnsupported) {
  auto error = expect_rejected(Bytes{0, 0, 0, 29});
  EXPECT_EQ(error.minor(), minor::kUnsupportedTypeCode);
}

TEST(TypeCodeDecodeError, IndirectionToNothing) {
  // A top-level indirection has nothing before it to point at.
  auto error = expect_rejected(Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF8});
  EXPECT_EQ(error.minor(), minor::kBadIndirection);
  EXPECT_EQ(error.offset(), 8U);
}

TEST(TypeCodeDecodeError, IndirectionToItself) {
  // Offset -4 would point at the marker itself.
  auto error = expect_rejected(Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFC});
  EXPECT_EQ(error.minor(), minor::kBadIndirection);
}

TEST(TypeCodeDecodeError, MemberCountBeyondBytes) {
  // tk_struct with a 24-byte encapsulation: byte order, padding, id "", name ""
  // and a member count of 2^32-1 at offset 28, with no bytes after it.
  Bytes bytes{0, 0, 0, 15, 0, 0, 0, 24, 0, 0, 0, 0, 0,    0,    0,    1,
              0, 0, 0, 0,  0, 0, 0, 1,  0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF};
  auto error = expect_rejected(bytes);
  EXPECT_EQ(error.minor(), minor::kLengthTooLarge);
  EXPECT_EQ(error.offset(), 28U);
}

TEST(TypeCodeDecodeError, NestingTooDeep) {
  // 100 nested sequences: each is a kind, an encapsulation length and a byte-order octet.
  cdr::Encoder encoder(cdr::ByteOrder::big_endian);
  std::vector<cdr::Encoder::EncapsulationMark> marks;
  for (int i = 0; i < 100; ++i) {
    encoder.write_ulong(static_cast<uint32_t>(TCKind::tk_sequence));
    marks.push_back(encoder.begin_encapsulation(cdr::ByteOrder::big_endian));
  }
  encoder.write_ulong(static_cast<uint32_t>(TCKind::tk_long));
  for (auto it = marks.rbegin(); it != marks.rend(); ++it) {
    encoder.write_ulong(0);
    encoder.end_encapsulation(*it);
  }
  auto error = expect_rejected(encoder.bytes());
  EXPECT_EQ(error.minor(), minor::kTypeCodeTooDeep);
}

TEST(TypeCodeFactory, RejectsBadParameters) {
  EXPECT_THROW(TypeCode::basic(TCKind::tk_struct), BAD_PARAM);
  EXPECT_THROW(TypeCode::sequence(nullptr), BAD_PARAM);
  EXPECT_THROW(TypeCode::union_type("IDL:U:1.0", "U", TypeCode::basic(TCKind::tk_long), 3, {}),
               BAD_PARAM);
  EXPECT_THROW(TypeCode::interface(TCKind::tk_long, "IDL:I:1.0", "I"), BAD_PARAM);
}

TEST(TypeCodeEncodeError, RecursiveReferenceOutsideItsType) {
  cdr::Encoder encoder;
  EXPECT_THROW(encode(encoder, *TypeCode::sequence(TypeCode::recursive("IDL:X:1.0"))), BAD_PARAM);
}

}  // namespace
}  // namespace orb
