// CDR encoder and decoder: round trips of every primitive and composite in
// both byte orders, golden byte vectors, and one test per decoder error.
#include <orb/any/any.hpp>
#include <orb/cdr/codec.hpp>
#include <orb/minor.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <utility>

namespace orb::cdr {
namespace {

using Bytes = std::vector<uint8_t>;

class CdrRoundTrip : public ::testing::TestWithParam<ByteOrder> {
 protected:
  template <class T>
  T round_trip(const T& value) {
    Encoder encoder(GetParam());
    encoder.write_octet(0xAA);  // misaligns what follows
    encode(encoder, value);
    Bytes bytes = encoder.take_bytes();
    Decoder decoder(bytes, GetParam());
    EXPECT_EQ(decoder.read_octet(), 0xAA);
    T decoded = decode<T>(decoder);
    EXPECT_TRUE(decoder.at_end()) << decoder.remaining() << " bytes left over";
    return decoded;
  }
};

TEST_P(CdrRoundTrip, Integers) {
  EXPECT_EQ(round_trip<int16_t>(-12345), -12345);
  EXPECT_EQ(round_trip<uint16_t>(0xBEEF), 0xBEEF);
  EXPECT_EQ(round_trip<int32_t>(std::numeric_limits<int32_t>::min()),
            std::numeric_limits<int32_t>::min());
  EXPECT_EQ(round_trip<uint32_t>(0xDEADBEEF), 0xDEADBEEFU);
  EXPECT_EQ(round_trip<int64_t>(-0x123456789ABCDEFLL), -0x123456789ABCDEFLL);
  EXPECT_EQ(round_trip<uint64_t>(0xFEDCBA9876543210ULL), 0xFEDCBA9876543210ULL);
}

TEST_P(CdrRoundTrip, OctetCharBoolean) {
  EXPECT_EQ(round_trip<uint8_t>(0xFF), 0xFF);
  EXPECT_EQ(round_trip<char>('z'), 'z');
  EXPECT_EQ(round_trip<bool>(true), true);
  EXPECT_EQ(round_trip<bool>(false), false);
}

TEST_P(CdrRoundTrip, FloatingPoint) {
  EXPECT_EQ(round_trip<float>(3.25f), 3.25f);
  EXPECT_EQ(round_trip<double>(-1e300), -1e300);
  EXPECT_TRUE(std::isnan(round_trip<double>(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_EQ(round_trip<double>(std::numeric_limits<double>::infinity()),
            std::numeric_limits<double>::infinity());
}

TEST_P(CdrRoundTrip, LongDouble) {
  for (long double value :
       {0.0L, -0.0L, 1.0L, -2.5L, 1.0L / 3.0L, 1e4000L, -1e-4000L,
        std::numeric_limits<long double>::denorm_min(), std::numeric_limits<long double>::max(),
        std::numeric_limits<long double>::infinity()}) {
    long double decoded = round_trip(value);
    EXPECT_EQ(decoded, value);
    EXPECT_EQ(std::signbit(decoded), std::signbit(value));
  }
  EXPECT_TRUE(std::isnan(round_trip(std::numeric_limits<long double>::quiet_NaN())));
}

TEST_P(CdrRoundTrip, StringsEmptyAndLong) {
  EXPECT_EQ(round_trip<std::string>(""), "");
  EXPECT_EQ(round_trip<std::string>("hello"), "hello");
  std::string long_text(100000, 'x');
  EXPECT_EQ(round_trip(long_text), long_text);
  EXPECT_EQ(round_trip<std::string>("caf\xC3\xA9"), "caf\xC3\xA9");
}

TEST_P(CdrRoundTrip, WideCharactersAllGiopVersions) {
  for (uint8_t minor : {1, 2}) {
    SCOPED_TRACE("GIOP 1." + std::to_string(minor));
    for (bool mark : {false, true}) {
      Encoder encoder(GetParam());
      encoder.set_giop_minor(minor);
      encoder.set_wide_byte_order_mark(mark);
      encoder.write_wchar(L'\u00E9');
      encoder.write_wstring(L"");
      encoder.write_wstring(L"gr\u00FC\u00DF");
      if (minor == 2) {
        encoder.write_wstring(L"a\U0001F600b");
      }
      Bytes bytes = encoder.take_bytes();
      Decoder decoder(bytes, GetParam());
      decoder.set_giop_minor(minor);
      EXPECT_EQ(decoder.read_wchar(), L'\u00E9');
      EXPECT_EQ(decoder.read_wstring(), L"");
      EXPECT_EQ(decoder.read_wstring(), L"gr\u00FC\u00DF");
      if (minor == 2) {
        EXPECT_EQ(decoder.read_wstring(), L"a\U0001F600b");
      }
      EXPECT_TRUE(decoder.at_end());
    }
  }
}

TEST_P(CdrRoundTrip, Sequences) {
  EXPECT_EQ(round_trip(std::vector<uint8_t>{1, 2, 3}), (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(round_trip(std::vector<int32_t>{}), std::vector<int32_t>{});
  EXPECT_EQ(round_trip(std::vector<int64_t>{-1, 2, 1LL << 40}),
            (std::vector<int64_t>{-1, 2, 1LL << 40}));
  EXPECT_EQ(round_trip(std::vector<double>{0.5, -8.0}), (std::vector<double>{0.5, -8.0}));
  EXPECT_EQ(round_trip(std::vector<bool>{true, false, true}),
            (std::vector<bool>{true, false, true}));
  EXPECT_EQ(round_trip(std::vector<std::string>{"a", "", "bc"}),
            (std::vector<std::string>{"a", "", "bc"}));
  EXPECT_EQ(round_trip(std::vector<std::vector<uint16_t>>{{1}, {}, {2, 3}}),
            (std::vector<std::vector<uint16_t>>{{1}, {}, {2, 3}}));
}

TEST_P(CdrRoundTrip, Arrays) {
  using Matrix = std::array<std::array<int32_t, 3>, 2>;
  Matrix matrix{{{1, 2, 3}, {4, 5, 6}}};
  EXPECT_EQ(round_trip(matrix), matrix);
  std::array<std::string, 2> names{"x", "yz"};
  EXPECT_EQ(round_trip(names), names);
}

TEST_P(CdrRoundTrip, EncapsulationKeepsItsOwnByteOrder) {
  ByteOrder other =
      GetParam() == ByteOrder::big_endian ? ByteOrder::little_endian : ByteOrder::big_endian;
  Encoder encoder(GetParam());
  encoder.write_octet(1);
  encoder.write_encapsulation(other, [](Encoder& inner) {
    inner.write_ulong(0x01020304);
    inner.write_double(2.0);
  });
  encoder.write_ushort(7);
  Bytes bytes = encoder.take_bytes();
  // Length at 4, then the byte-order octet of the encapsulation at 8.
  EXPECT_EQ(bytes[8], static_cast<uint8_t>(other));

  Decoder decoder(bytes, GetParam());
  EXPECT_EQ(decoder.read_octet(), 1);
  Decoder inner = decoder.read_encapsulation();
  EXPECT_EQ(inner.byte_order(), other);
  EXPECT_EQ(inner.read_ulong(), 0x01020304U);
  EXPECT_EQ(inner.read_double(), 2.0);
  EXPECT_TRUE(inner.at_end());
  EXPECT_EQ(decoder.read_ushort(), 7);
}

INSTANTIATE_TEST_SUITE_P(BothByteOrders, CdrRoundTrip,
                         ::testing::Values(ByteOrder::big_endian, ByteOrder::little_endian),
                         [](const auto& info) {
                           return info.param == ByteOrder::big_endian ? "BigEndian"
                                                                      : "LittleEndian";
                         });

// ---- borrowed blocks ----

/// Encodes a large byte block between aligned fields, and one inside an
/// encapsulation, which is never borrowed.
void encode_mixed(Encoder& e, const Bytes& large) {
  e.write_octet(1);
  encode_sequence(e, large);
  e.write_double(2.5);
  e.write_ulong(9);
  Encoder::EncapsulationMark mark = e.begin_encapsulation(e.byte_order());
  encode_sequence(e, large);
  e.write_ulonglong(7);
  e.end_encapsulation(mark);
  e.write_octet(3);
}

TEST(CdrBorrowing, BorrowedBlocksEncodeAsCopies) {
  Bytes large(70001);
  for (size_t i = 0; i < large.size(); ++i) {
    large[i] = static_cast<uint8_t>(i * 7);
  }
  for (ByteOrder order : {ByteOrder::big_endian, ByteOrder::little_endian}) {
    Encoder copied(order, 12);
    encode_mixed(copied, large);
    Encoder borrowing(order, 12);
    borrowing.borrow_blocks_from(64 * 1024);
    encode_mixed(borrowing, large);

    ASSERT_EQ(borrowing.borrowed().size(), 1U);
    EXPECT_EQ(borrowing.borrowed()[0].bytes.data(), large.data());
    EXPECT_EQ(borrowing.size(), copied.size());
    EXPECT_EQ(borrowing.take_bytes(), copied.take_bytes());
  }
}

TEST(CdrBorrowing, KeptBlocksEncodeAsCopies) {
  Bytes large(90000, 0x33);
  Encoder copied(ByteOrder::little_endian, 12);
  copied.write_octet(1);
  encode_sequence(copied, large);
  copied.write_ulong(4);

  Encoder keeping(ByteOrder::little_endian, 12);
  keeping.keep_blocks_from(64 * 1024);
  keeping.write_octet(1);
  Bytes payload = large;
  const uint8_t* data = payload.data();
  keeping.write_owned_octet_sequence(std::move(payload));
  keeping.write_ulong(4);

  ASSERT_EQ(keeping.borrowed().size(), 1U);
  EXPECT_EQ(keeping.borrowed()[0].bytes.data(), data);  // moved, not copied
  std::vector<Bytes> kept = keeping.take_kept();
  ASSERT_EQ(kept.size(), 1U);
  EXPECT_EQ(keeping.take_bytes(), copied.take_bytes());
}

TEST(CdrBorrowing, SmallBlocksAreCopied) {
  Bytes small(100, 5);
  Encoder encoder;
  encoder.borrow_blocks_from(64 * 1024);
  encode_sequence(encoder, small);
  EXPECT_TRUE(encoder.borrowed().empty());
  EXPECT_EQ(encoder.bytes().size(), 104U);
}

// ---- golden byte vectors ----

// ---- detached blocks ----

/// What a transport that keeps borrowed blocks apart hands to a decoder:
/// the encoder's buffer without the blocks, and each block's bytes.
struct SplitMessage {
  Bytes buffer;
  std::vector<DetachedBlock> blocks;
};

SplitMessage split(Encoder& encoder, size_t base_offset) {
  SplitMessage message;
  size_t before = 0;  // bytes of the blocks ahead of this one
  for (const BorrowedBytes& block : encoder.borrowed()) {
    message.blocks.push_back(
        {base_offset + block.at + before, block.at, Bytes(block.bytes.begin(), block.bytes.end())});
    before += block.bytes.size();
  }
  message.buffer = encoder.take_buffer();
  return message;
}

Bytes pattern(size_t size, uint8_t step) {
  Bytes bytes(size);
  for (size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<uint8_t>(i * step);
  }
  return bytes;
}

TEST(CdrDetached, MovesBlockKeepsAlignment) {
  Bytes first = pattern(70001, 7);
  Bytes second = pattern(65536, 3);
  Encoder encoder(ByteOrder::big_endian, 12);
  encoder.borrow_blocks_from(64 * 1024);
  encoder.write_ulong(7);
  encode_sequence(encoder, first);
  encoder.write_string("between");
  encode_sequence(encoder, second);
  encoder.write_double(2.5);
  SplitMessage message = split(encoder, 12);
  ASSERT_EQ(message.blocks.size(), 2U);
  const uint8_t* first_data = message.blocks[0].bytes.data();

  Decoder decoder(message.buffer, ByteOrder::big_endian, 12);
  decoder.attach_detached(message.buffer, 0, message.blocks);
  EXPECT_EQ(decoder.remaining(), message.buffer.size() + first.size() + second.size());
  EXPECT_EQ(decoder.read_ulong(), 7U);
  Bytes decoded;
  decode_sequence(decoder, decoded);
  EXPECT_EQ(decoded.data(), first_data);  // moved, not copied
  EXPECT_EQ(decoded, first);
  EXPECT_EQ(decoder.read_string(), "between");
  std::span<const uint8_t> view = decoder.read_octets(decoder.read_ulong());
  EXPECT_EQ(view.data(), message.blocks[1].bytes.data());
  EXPECT_TRUE(std::equal(view.begin(), view.end(), second.begin(), second.end()));
  EXPECT_EQ(decoder.read_double(), 2.5);  // aligned as if the blocks were in place
  EXPECT_TRUE(decoder.at_end());
}

TEST(CdrDetached, OtherReadsPutTheBlocksBack) {
  Bytes large = pattern(70001, 5);
  for (ByteOrder order : {ByteOrder::big_endian, ByteOrder::little_endian}) {
    Encoder encoder(order, 12);
    encoder.borrow_blocks_from(64 * 1024);
    encode_mixed(encoder, large);
    SplitMessage message = split(encoder, 12);
    ASSERT_EQ(message.blocks.size(), 1U);

    Decoder decoder(message.buffer, order, 12);
    decoder.attach_detached(message.buffer, 0, message.blocks);
    EXPECT_EQ(decoder.read_octet(), 1);
    // Read the block's first four bytes as an unsigned long, not as octets.
    uint32_t length = decoder.read_ulong();
    EXPECT_EQ(length, large.size());
    uint32_t head = decoder.read_ulong();
    uint32_t expected = 0;
    std::memcpy(&expected, large.data(), 4);
    if (order != kNativeByteOrder) {
      expected = byte_swap(expected);
    }
    EXPECT_EQ(head, expected);
    EXPECT_TRUE(message.blocks.empty());
    EXPECT_EQ(decoder.read_octets(length - 4).size(), length - 4);
    EXPECT_EQ(decoder.read_double(), 2.5);
    EXPECT_EQ(decoder.read_ulong(), 9U);
    Decoder inner = decoder.read_encapsulation();
    Bytes nested;
    decode_sequence(inner, nested);
    EXPECT_EQ(nested, large);
    EXPECT_EQ(decoder.read_octet(), 3);
    EXPECT_TRUE(decoder.at_end());
  }
}

TEST(CdrDetached, TruncationCountsTheBlocks) {
  Bytes large = pattern(65536, 1);
  Encoder encoder(ByteOrder::little_endian, 12);
  encoder.borrow_blocks_from(64 * 1024);
  encode_sequence(encoder, large);
  SplitMessage message = split(encoder, 12);
  Decoder decoder(message.buffer, ByteOrder::little_endian, 12);
  decoder.attach_detached(message.buffer, 0, message.blocks);
  decoder.read_ulong();
  try {
    decoder.read_octets(large.size() + 1);
    FAIL() << "read past the end";
  } catch (const DecodeError& error) {
    EXPECT_EQ(error.minor(), minor::kTruncated);
    EXPECT_EQ(error.offset(), 16U);
  }
  EXPECT_EQ(decoder.read_octets(large.size()).size(), large.size());
  EXPECT_TRUE(decoder.at_end());
}

/// Takes the byte ranges {offset, size} out of an encoded buffer, as a
/// framer does for a notice that names them. Offsets count from
/// `base_offset`, and a range need not be a sequence's bytes.
SplitMessage carve(const Bytes& whole, size_t base_offset,
                   std::initializer_list<std::pair<size_t, size_t>> ranges) {
  SplitMessage message;
  size_t done = 0;  // index in `whole` up to which bytes are placed
  for (auto [offset, size] : ranges) {
    auto at = static_cast<std::ptrdiff_t>(offset - base_offset);
    message.buffer.insert(message.buffer.end(), whole.begin() + static_cast<std::ptrdiff_t>(done),
                          whole.begin() + at);
    message.blocks.push_back(
        {offset, message.buffer.size(),
         Bytes(whole.begin() + at, whole.begin() + at + static_cast<std::ptrdiff_t>(size))});
    done = offset - base_offset + size;
  }
  message.buffer.insert(message.buffer.end(), whole.begin() + static_cast<std::ptrdiff_t>(done),
                        whole.end());
  return message;
}

// Returns the DecodeError that `read` must raise.
template <class Read>
DecodeError decode_error_from(Read read) {
  try {
    read();
  } catch (const DecodeError& error) {
    return error;
  }
  ADD_FAILURE() << "no DecodeError raised";
  return DecodeError(0, 0, "", "");
}

TEST(CdrDetached, JoinAfterMovedBlockKeepsAlignment) {
  Bytes first = pattern(65536, 3);
  Bytes second = pattern(70002, 5);
  Bytes third = pattern(65537, 11);
  Encoder encoder(ByteOrder::little_endian, 12);
  encoder.borrow_blocks_from(64 * 1024);
  encoder.write_octet(4);
  encode_sequence(encoder, first);
  encoder.write_octet(5);
  encode_sequence(encoder, second);
  encode_sequence(encoder, third);
  encoder.write_longlong(-8);
  size_t end = 12 + encoder.size();
  SplitMessage message = split(encoder, 12);
  ASSERT_EQ(message.blocks.size(), 3U);

  Decoder decoder(message.buffer, ByteOrder::little_endian, 12);
  decoder.attach_detached(message.buffer, 0, message.blocks);
  EXPECT_EQ(decoder.read_octet(), 4);
  Bytes decoded;
  decode_sequence(decoder, decoded);
  EXPECT_EQ(decoded, first);
  EXPECT_EQ(decoder.read_octet(), 5);
  EXPECT_EQ(decoder.read_ulong(), second.size());
  // Reads the second block's first two bytes as a short. Both remaining
  // blocks go back into the buffer, and the moved block stays out.
  size_t at = decoder.absolute_position();
  EXPECT_EQ(decoder.read_ushort(), second[0] | second[1] << 8);
  EXPECT_EQ(decoder.absolute_position(), at + 2);
  ASSERT_EQ(message.blocks.size(), 1U);
  EXPECT_EQ(decoder.remaining(), end - at - 2);
  std::span<const uint8_t> rest = decoder.read_octets(second.size() - 2);
  EXPECT_TRUE(std::equal(rest.begin(), rest.end(), second.begin() + 2, second.end()));
  decode_sequence(decoder, decoded);
  EXPECT_EQ(decoded, third);
  EXPECT_EQ(decoder.read_longlong(), -8);  // padded as if every block were in place
  EXPECT_EQ(decoder.absolute_position(), end);
  EXPECT_TRUE(decoder.at_end());
}

TEST(CdrDetached, ErrorOffsetsAfterMovedBlock) {
  Bytes large = pattern(65537, 9);
  Encoder encoder(ByteOrder::big_endian, 12);
  encoder.borrow_blocks_from(64 * 1024);
  encode_sequence(encoder, large);
  size_t boolean_at = 12 + encoder.size();
  encoder.write_octet(2);  // a boolean that is neither 0 nor 1
  encoder.align(4);
  size_t length_at = 12 + encoder.size();
  encoder.write_ulong(1000);  // a string longer than what is left
  SplitMessage message = split(encoder, 12);
  ASSERT_EQ(message.blocks.size(), 1U);

  Decoder decoder(message.buffer, ByteOrder::big_endian, 12);
  decoder.attach_detached(message.buffer, 0, message.blocks);
  Bytes decoded;
  decode_sequence(decoder, decoded);
  EXPECT_EQ(decoded, large);
  DecodeError error = decode_error_from([&] { decoder.read_boolean(); });
  EXPECT_EQ(error.minor(), minor::kInvalidValue);
  EXPECT_EQ(error.offset(), boolean_at);
  decoder.read_octet();
  error = decode_error_from([&] { decoder.read_string(); });
  EXPECT_EQ(error.minor(), minor::kLengthTooLarge);
  EXPECT_EQ(error.offset(), length_at);
  error = decode_error_from([&] { decoder.read_octets(5); });
  EXPECT_EQ(error.minor(), minor::kTruncated);
  EXPECT_EQ(error.offset(), length_at);
  EXPECT_EQ(decoder.remaining(), 4U);
}

TEST(CdrDetached, CharSequenceAndArrayOnBlocks) {
  std::vector<char> text(70000);
  for (size_t i = 0; i < text.size(); ++i) {
    text[i] = static_cast<char>('a' + i % 26);
  }
  auto array = std::make_unique<std::array<uint8_t, 65536>>();
  for (size_t i = 0; i < array->size(); ++i) {
    (*array)[i] = static_cast<uint8_t>(i * 17);
  }
  Encoder encoder(ByteOrder::little_endian, 12);
  encoder.borrow_blocks_from(64 * 1024);
  encode_sequence(encoder, text);
  encoder.write_octet(6);
  encode(encoder, *array);
  encoder.write_ulong(10);
  SplitMessage message = split(encoder, 12);
  ASSERT_EQ(message.blocks.size(), 2U);

  Decoder decoder(message.buffer, ByteOrder::little_endian, 12);
  decoder.attach_detached(message.buffer, 0, message.blocks);
  std::vector<char> text_out;
  decode_sequence(decoder, text_out);
  EXPECT_EQ(text_out, text);
  EXPECT_EQ(decoder.read_octet(), 6);
  auto array_out = std::make_unique<std::array<uint8_t, 65536>>();
  Codec<std::array<uint8_t, 65536>>::decode(decoder, *array_out);
  EXPECT_EQ(*array_out, *array);
  EXPECT_EQ(message.blocks.size(), 2U);  // passed, not joined
  EXPECT_EQ(decoder.read_ulong(), 10U);
  EXPECT_TRUE(decoder.at_end());
}

TEST(CdrDetached, MarkedEncapsulationBytesAreJoined) {
  // Encoders borrow nothing inside an encapsulation, but a notice may
  // still name bytes there. The encapsulation then reads them joined.
  Bytes large = pattern(70000, 7);
  Encoder encoder(ByteOrder::big_endian, 12);
  encoder.write_octet(1);
  Encoder::EncapsulationMark mark = encoder.begin_encapsulation(ByteOrder::little_endian);
  encoder.write_octet(2);
  encode_sequence(encoder, large);
  encoder.write_ulonglong(7);
  encoder.end_encapsulation(mark);
  encoder.write_ushort(3);
  Bytes whole = encoder.take_bytes();
  // The sequence's bytes start after the octet (12), the length and
  // byte-order octet (16, 20), the octet 2 (21), padding and length (24, 28).
  SplitMessage message = carve(whole, 12, {{28, large.size()}});
  ASSERT_EQ(message.buffer.size() + large.size(), whole.size());
  ASSERT_TRUE(std::equal(large.begin(), large.end(), message.blocks[0].bytes.begin()));

  Decoder decoder(message.buffer, ByteOrder::big_endian, 12);
  decoder.attach_detached(message.buffer, 0, message.blocks);
  EXPECT_EQ(decoder.read_octet(), 1);
  Decoder inner = decoder.read_encapsulation();
  EXPECT_TRUE(message.blocks.empty());
  EXPECT_EQ(inner.read_octet(), 2);
  Bytes decoded;
  decode_sequence(inner, decoded);
  EXPECT_EQ(decoded, large);
  EXPECT_EQ(inner.read_ulonglong(), 7U);
  EXPECT_TRUE(inner.at_end());
  EXPECT_EQ(decoder.read_ushort(), 3);
  EXPECT_TRUE(decoder.at_end());
}

TEST(CdrDetached, MarkedStringAndUlongsDecode) {
  Encoder encoder(ByteOrder::little_endian, 12);
  encoder.write_string("marked text");  // length at 12, text at 16
  encoder.write_ulong(77);              // at 28
  encoder.write_ulong(88);              // at 32
  encoder.write_string("end");
  Bytes whole = encoder.take_bytes();
  // The string's text with its NUL, then the two ulongs as one block.
  SplitMessage message = carve(whole, 12, {{16, 12}, {28, 8}});

  Decoder decoder(message.buffer, ByteOrder::little_endian, 12);
  decoder.attach_detached(message.buffer, 0, message.blocks);
  EXPECT_EQ(decoder.remaining(), whole.size());
  EXPECT_EQ(decoder.read_string(), "marked text");
  EXPECT_EQ(decoder.absolute_position(), 28U);
  EXPECT_EQ(decoder.read_ulong(), 77U);
  EXPECT_EQ(decoder.read_ulong(), 88U);
  EXPECT_EQ(decoder.read_string(), "end");
  EXPECT_TRUE(decoder.at_end());
}

TEST(CdrDetached, AnyWithMarkedOctetsOrTypeCode) {
  Bytes large = pattern(70000, 13);
  Encoder encoder(ByteOrder::big_endian, 12);
  encoder.write_octet(1);
  encode(encoder, Any::from(large));
  encoder.write_octet(2);
  Bytes whole = encoder.take_bytes();
  size_t octets_at = 12 + whole.size() - 1 - large.size();
  // A block on the octets is taken. A block over the TypeCode's kind and
  // parameters (from offset 16) is joined back by the first read.
  for (std::pair<size_t, size_t> range :
       {std::pair<size_t, size_t>{octets_at, large.size()}, std::pair<size_t, size_t>{16, 20}}) {
    SplitMessage message = carve(whole, 12, {range});
    Decoder decoder(message.buffer, ByteOrder::big_endian, 12);
    decoder.attach_detached(message.buffer, 0, message.blocks);
    EXPECT_EQ(decoder.read_octet(), 1);
    Any any = decode<Any>(decoder);
    Bytes decoded;
    ASSERT_TRUE(any.extract(decoded)) << "block at " << range.first;
    EXPECT_EQ(decoded, large);
    EXPECT_EQ(decoder.read_octet(), 2);
    EXPECT_TRUE(decoder.at_end());
  }
}

TEST(CdrGolden, EightByteFieldAfterGiopHeaderIsPadded) {
  // A body that starts right after the 12-byte GIOP header: a long long
  // there needs 4 bytes of padding to reach offset 16.
  Encoder encoder(ByteOrder::big_endian, 12);
  encoder.write_longlong(0x0102030405060708LL);
  EXPECT_EQ(encoder.bytes(), (Bytes{0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8}));

  Decoder decoder(encoder.bytes(), ByteOrder::big_endian, 12);
  EXPECT_EQ(decoder.read_longlong(), 0x0102030405060708LL);
}

TEST(CdrGolden, LongDoubleInsideStruct) {
  // struct { octet tag; long double value; } with tag 7 and value -2.5:
  // binary128 -2.5 is sign 1, exponent 0x4000, fraction 0x4000...
  Encoder big(ByteOrder::big_endian);
  big.write_octet(7);
  big.write_long_double(-2.5L);
  Bytes expected_big{7, 0, 0, 0, 0, 0, 0, 0, 0xC0, 0x00, 0x40, 0,
                     0, 0, 0, 0, 0, 0, 0, 0, 0,    0,    0,    0};
  EXPECT_EQ(big.bytes(), expected_big);

  Encoder little(ByteOrder::little_endian);
  little.write_octet(7);
  little.write_long_double(-2.5L);
  Bytes expected_little{7, 0, 0, 0, 0, 0, 0, 0, 0, 0,    0,    0,
                        0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x00, 0xC0};
  EXPECT_EQ(little.bytes(), expected_little);

  Decoder decoder(expected_little, ByteOrder::little_endian);
  EXPECT_EQ(decoder.read_octet(), 7);
  EXPECT_EQ(decoder.read_long_double(), -2.5L);
}

TEST(CdrGolden, WstringSurrogatePairWithoutByteOrderMark) {
  // U+1F600 is the surrogate pair D83D DE00; without a mark UTF-16 is big-endian
  // even inside a little-endian stream.
  Encoder encoder(ByteOrder::little_endian);
  encoder.write_wstring(L"a\U0001F600");
  EXPECT_EQ(encoder.bytes(), (Bytes{6, 0, 0, 0, 0x00, 0x61, 0xD8, 0x3D, 0xDE, 0x00}));

  Decoder decoder(encoder.bytes(), ByteOrder::little_endian);
  EXPECT_EQ(decoder.read_wstring(), L"a\U0001F600");
}

TEST(CdrGolden, WstringSurrogatePairWithByteOrderMark) {
  Encoder little(ByteOrder::little_endian);
  little.set_wide_byte_order_mark(true);
  little.write_wstring(L"a\U0001F600");
  EXPECT_EQ(little.bytes(), (Bytes{8, 0, 0, 0, 0xFF, 0xFE, 0x61, 0x00, 0x3D, 0xD8, 0x00, 0xDE}));

  Encoder big(ByteOrder::big_endian);
  big.set_wide_byte_order_mark(true);
  big.write_wstring(L"a\U0001F600");
  EXPECT_EQ(big.bytes(), (Bytes{0, 0, 0, 8, 0xFE, 0xFF, 0x00, 0x61, 0xD8, 0x3D, 0xDE, 0x00}));

  // A receiver honours the mark whatever the stream's own byte order.
  Decoder decoder(little.bytes(), ByteOrder::little_endian);
  EXPECT_EQ(decoder.read_wstring(), L"a\U0001F600");
  Bytes marked_little_in_big_stream{0, 0, 0, 8, 0xFF, 0xFE, 0x61, 0x00, 0x3D, 0xD8, 0x00, 0xDE};
  Decoder mixed(marked_little_in_big_stream, ByteOrder::big_endian);
  EXPECT_EQ(mixed.read_wstring(), L"a\U0001F600");
}

TEST(CdrGolden, WstringStartingWithMarkCharacterGetsRealMark) {
  // Unmarked text whose first character is U+FEFF would lose it to the
  // receiver's mark detection, so the encoder puts a mark in front.
  Encoder encoder(ByteOrder::big_endian);
  encoder.write_wstring(L"\uFEFFx");
  EXPECT_EQ(encoder.bytes(), (Bytes{0, 0, 0, 6, 0xFE, 0xFF, 0xFE, 0xFF, 0x00, 'x'}));
  Decoder decoder(encoder.bytes(), ByteOrder::big_endian);
  EXPECT_EQ(decoder.read_wstring(), L"\uFEFFx");
}

TEST(CdrGolden, WstringGiop11CountsUnitsWithNul) {
  Encoder encoder(ByteOrder::big_endian);
  encoder.set_giop_minor(1);
  encoder.write_wstring(L"hi");
  EXPECT_EQ(encoder.bytes(), (Bytes{0, 0, 0, 3, 0, 'h', 0, 'i', 0, 0}));
}

TEST(CdrGolden, StringAndSequence) {
  Encoder encoder(ByteOrder::little_endian);
  encoder.write_string("ab");
  encode(encoder, std::vector<uint16_t>{0x0102});
  EXPECT_EQ(encoder.bytes(), (Bytes{3, 0, 0, 0, 'a', 'b', 0, 0, 1, 0, 0, 0, 0x02, 0x01}));
}

// ---- decoder errors ----

// Decodes `bytes` with `read` and returns the DecodeError it must raise.
template <class Read>
DecodeError expect_decode_error(const Bytes& bytes, ByteOrder order, Read read,
                                uint8_t giop_minor = 2) {
  Decoder decoder(bytes, order);
  decoder.set_giop_minor(giop_minor);
  try {
    read(decoder);
  } catch (const DecodeError& error) {
    return error;
  }
  ADD_FAILURE() << "no DecodeError raised";
  return DecodeError(0, 0, "", "");
}

TEST(CdrDecodeError, TruncatedUlong) {
  auto error = expect_decode_error(Bytes{1, 2, 3}, ByteOrder::big_endian,
                                   [](Decoder& d) { d.read_ulong(); });
  EXPECT_EQ(error.offset(), 0U);
  EXPECT_EQ(error.minor(), minor::kTruncated);
  EXPECT_EQ(error.expected(), "unsigned long");
  EXPECT_STREQ(error.what(),
               "MARSHAL (minor 0x4f524001, COMPLETED_NO): decode unsigned long at offset 0: "
               "needs 4 bytes but 3 are left");
}

TEST(CdrDecodeError, TruncatedAfterAlignment) {
  auto error = expect_decode_error(Bytes{9, 0, 0, 0, 1, 2}, ByteOrder::big_endian, [](Decoder& d) {
    d.read_octet();
    d.read_double();
  });
  EXPECT_EQ(error.offset(), 0U + 1);
  EXPECT_EQ(error.minor(), minor::kTruncated);
  EXPECT_EQ(error.expected(), "double");
}

TEST(CdrDecodeError, TruncatedLongDoubleReportsBaseOffset) {
  Bytes bytes(12, 0);
  Decoder decoder(bytes, ByteOrder::big_endian, 12);
  decoder.read_ulong();
  try {
    decoder.read_long_double();
    FAIL() << "no DecodeError raised";
  } catch (const DecodeError& error) {
    EXPECT_EQ(error.offset(), 16U);
    EXPECT_EQ(error.minor(), minor::kTruncated);
  }
}

TEST(CdrDecodeError, StringWithoutNul) {
  auto error = expect_decode_error(Bytes{0, 0, 0, 0, 0, 0, 0, 3, 'a', 'b', 'c'},
                                   ByteOrder::big_endian, [](Decoder& d) {
                                     d.read_ulong();
                                     d.read_string();
                                   });
  EXPECT_EQ(error.offset(), 4U);
  EXPECT_EQ(error.minor(), minor::kMissingNul);
  EXPECT_EQ(error.expected(), "string");
}

TEST(CdrDecodeError, StringOfLengthZero) {
  auto error = expect_decode_error(Bytes{0, 0, 0, 0}, ByteOrder::big_endian,
                                   [](Decoder& d) { d.read_string(); });
  EXPECT_EQ(error.offset(), 0U);
  EXPECT_EQ(error.minor(), minor::kMissingNul);
}

TEST(CdrDecodeError, StringLongerThanBuffer) {
  auto error = expect_decode_error(Bytes{0xFF, 0xFF, 0xFF, 0xFF, 'a', 0}, ByteOrder::big_endian,
                                   [](Decoder& d) { d.read_string(); });
  EXPECT_EQ(error.offset(), 0U);
  EXPECT_EQ(error.minor(), minor::kLengthTooLarge);
  EXPECT_STREQ(error.what(),
               "MARSHAL (minor 0x4f524002, COMPLETED_NO): decode string at offset 0: length "
               "4294967295 exceeds the 2 bytes left");
}

TEST(CdrDecodeError, SequenceLengthBeyondBytesLeft) {
  // 3 longs announced, 8 bytes present: the check uses the element size.
  auto error = expect_decode_error(Bytes{0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2},
                                   ByteOrder::big_endian, [](Decoder& d) {
                                     d.read_ulong();
                                     decode<std::vector<int32_t>>(d);
                                   });
  EXPECT_EQ(error.offset(), 4U);
  EXPECT_EQ(error.minor(), minor::kLengthTooLarge);
  EXPECT_EQ(error.expected(), "sequence");
}

TEST(CdrDecodeError, HugeSequenceOfStringsAllocatesNothing) {
  // 2^32-1 strings of at least 5 bytes each cannot fit in 8 bytes.
  auto error = expect_decode_error(Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1}, ByteOrder::big_endian,
                                   [](Decoder& d) { decode<std::vector<std::string>>(d); });
  EXPECT_EQ(error.offset(), 0U);
  EXPECT_EQ(error.minor(), minor::kLengthTooLarge);
}

TEST(CdrDecodeError, SequenceAboveBound) {
  auto error = expect_decode_error(Bytes{0, 0, 0, 3, 1, 2, 3}, ByteOrder::big_endian,
                                   [](Decoder& d) { d.read_octet_sequence(2); });
  EXPECT_EQ(error.offset(), 0U);
  EXPECT_EQ(error.minor(), minor::kBoundExceeded);
}

TEST(CdrDecodeError, StringAboveBound) {
  auto error = expect_decode_error(Bytes{4, 0, 0, 0, 'a', 'b', 'c', 0}, ByteOrder::little_endian,
                                   [](Decoder& d) { d.read_string(2); });
  EXPECT_EQ(error.offset(), 0U);
  EXPECT_EQ(error.minor(), minor::kBoundExceeded);
}

TEST(CdrDecodeError, BooleanOutOfRange) {
  auto error = expect_decode_error(Bytes{1, 2}, ByteOrder::big_endian, [](Decoder& d) {
    d.read_boolean();
    d.read_boolean();
  });
  EXPECT_EQ(error.offset(), 1U);
  EXPECT_EQ(error.minor(), minor::kInvalidValue);
  EXPECT_EQ(error.expected(), "boolean");
}

TEST(CdrDecodeError, WideCharacterInGiop10) {
  auto error = expect_decode_error(
      Bytes{0, 0, 0, 2, 0, 'a'}, ByteOrder::big_endian, [](Decoder& d) { d.read_wstring(); }, 0);
  EXPECT_EQ(error.offset(), 0U);
  EXPECT_EQ(error.minor(), minor::kWideCharInGiop10);
}

TEST(CdrDecodeError, WstringOddOctetCount) {
  auto error = expect_decode_error(Bytes{0, 0, 0, 3, 0, 'a', 0}, ByteOrder::big_endian,
                                   [](Decoder& d) { d.read_wstring(); });
  EXPECT_EQ(error.offset(), 0U);
  EXPECT_EQ(error.minor(), minor::kInvalidValue);
}

TEST(CdrDecodeError, WstringUnpairedSurrogate) {
  auto error = expect_decode_error(Bytes{0, 0, 0, 0, 0, 0, 0, 4, 0xD8, 0x3D, 0, 'a'},
                                   ByteOrder::big_endian, [](Decoder& d) {
                                     d.read_ulong();
                                     d.read_wstring();
                                   });
  EXPECT_EQ(error.offset(), 4U);
  EXPECT_EQ(error.minor(), minor::kBadUtf16);
}

TEST(CdrDecodeError, WstringGiop11WithoutNul) {
  auto error = expect_decode_error(
      Bytes{0, 0, 0, 2, 0, 'h', 0, 'i'}, ByteOrder::big_endian,
      [](Decoder& d) { d.read_wstring(); }, 1);
  EXPECT_EQ(error.offset(), 0U);
  EXPECT_EQ(error.minor(), minor::kMissingNul);
}

TEST(CdrDecodeError, WcharWithZeroLength) {
  auto error =
      expect_decode_error(Bytes{0}, ByteOrder::big_endian, [](Decoder& d) { d.read_wchar(); });
  EXPECT_EQ(error.offset(), 0U);
  EXPECT_EQ(error.minor(), minor::kInvalidValue);
}

TEST(CdrDecodeError, EmptyEncapsulation) {
  auto error = expect_decode_error(Bytes{0, 0, 0, 0}, ByteOrder::big_endian,
                                   [](Decoder& d) { d.read_encapsulation(); });
  EXPECT_EQ(error.offset(), 4U);
  EXPECT_EQ(error.minor(), minor::kTruncated);
}

TEST(CdrDecodeError, EncapsulationWithBadByteOrderOctet) {
  auto error = expect_decode_error(Bytes{0, 0, 0, 2, 7, 0}, ByteOrder::big_endian,
                                   [](Decoder& d) { d.read_encapsulation(); });
  EXPECT_EQ(error.offset(), 4U);
  EXPECT_EQ(error.minor(), minor::kInvalidValue);
}

TEST(CdrDecodeError, InsideEncapsulationReportsOuterOffset) {
  // The encapsulation starts at offset 4; its ulong at inner offset 4 is cut short.
  auto error = expect_decode_error(Bytes{0, 0, 0, 6, 0, 0, 0, 0, 0, 1}, ByteOrder::big_endian,
                                   [](Decoder& d) {
                                     Decoder inner = d.read_encapsulation();
                                     inner.read_ulong();
                                   });
  EXPECT_EQ(error.offset(), 8U);
  EXPECT_EQ(error.minor(), minor::kTruncated);
}

TEST(CdrDecodeError, TruncatedFixedArray) {
  auto error = expect_decode_error(Bytes{0, 0, 0, 1, 0, 0}, ByteOrder::big_endian,
                                   [](Decoder& d) { decode<std::array<int32_t, 2>>(d); });
  // An array of scalars is read as one block, so the error points at its start.
  EXPECT_EQ(error.offset(), 0U);
  EXPECT_EQ(error.minor(), minor::kTruncated);
}

// ---- encoder errors ----

TEST(CdrEncodeError, BoundedStringTooLong) {
  Encoder encoder;
  EXPECT_THROW(encoder.write_string("abcd", 3), BAD_PARAM);
  EXPECT_TRUE(encoder.bytes().empty());
}

TEST(CdrEncodeError, WcharOutsideUnicode) {
  Encoder encoder;
  EXPECT_THROW(encoder.write_wchar(static_cast<wchar_t>(0x110000)), DATA_CONVERSION);
}

TEST(CdrEncodeError, WideCharactersInGiop10) {
  Encoder encoder;
  encoder.set_giop_minor(0);
  EXPECT_THROW(encoder.write_wstring(L"x"), MARSHAL);
}

}  // namespace
}  // namespace orb::cdr
