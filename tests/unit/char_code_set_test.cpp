// Char code set conversion in the Encoder and Decoder: UTF-8 passes
// unchanged, ISO-8859-1 converts at the wire, and characters that Latin-1
// lacks raise DATA_CONVERSION.
#include <orb/cdr/decoder.hpp>
#include <orb/cdr/encoder.hpp>
#include <orb/minor.hpp>

#include <gtest/gtest.h>

namespace {

using orb::cdr::CharCodeSet;

const std::string kCafe = "caf\xC3\xA9";    // "café" in UTF-8
const std::string kCafeLatin1 = "caf\xE9";  // "café" in ISO-8859-1
const std::string kNihon = "\xE6\x97\xA5";  // U+65E5, outside Latin-1

std::vector<uint8_t> encode_string(const std::string& text, CharCodeSet code_set) {
  orb::cdr::Encoder encoder(orb::cdr::ByteOrder::big_endian);
  encoder.set_char_code_set(code_set);
  encoder.write_string(text);
  return encoder.take_bytes();
}

TEST(CharCodeSet, Utf8PassesUnchanged) {
  std::vector<uint8_t> bytes = encode_string(kCafe, CharCodeSet::utf8);
  EXPECT_EQ(std::string(bytes.begin() + 4, bytes.end() - 1), kCafe);
}

TEST(CharCodeSet, Latin1EncodesOneBytePerCharacter) {
  std::vector<uint8_t> bytes = encode_string(kCafe, CharCodeSet::iso8859_1);
  EXPECT_EQ(bytes[3], 5);  // four characters and the NUL
  EXPECT_EQ(std::string(bytes.begin() + 4, bytes.end() - 1), kCafeLatin1);
}

TEST(CharCodeSet, Latin1DecodesToUtf8) {
  std::vector<uint8_t> bytes = encode_string(kCafeLatin1, CharCodeSet::utf8);
  orb::cdr::Decoder decoder(bytes, orb::cdr::ByteOrder::big_endian);
  decoder.set_char_code_set(CharCodeSet::iso8859_1);
  EXPECT_EQ(decoder.read_string(), kCafe);
  EXPECT_TRUE(decoder.at_end());
}

TEST(CharCodeSet, Latin1RejectsWiderCharacters) {
  try {
    encode_string("a" + kNihon, CharCodeSet::iso8859_1);
    FAIL() << "encoded";
  } catch (const orb::DATA_CONVERSION& error) {
    EXPECT_EQ(error.minor(), orb::minor::kCharNotInCodeSet);
    EXPECT_EQ(error.completed(), orb::CompletionStatus::no);
  }
}

TEST(CharCodeSet, Latin1RejectsMalformedUtf8) {
  EXPECT_THROW(encode_string("\xC3", CharCodeSet::iso8859_1), orb::DATA_CONVERSION);
  EXPECT_THROW(encode_string("\xC3(", CharCodeSet::iso8859_1), orb::DATA_CONVERSION);
}

TEST(CharCodeSet, Latin1CharAboveAsciiIsDataConversion) {
  orb::cdr::Encoder encoder;
  encoder.set_char_code_set(CharCodeSet::iso8859_1);
  encoder.write_char('A');
  EXPECT_THROW(encoder.write_char('\xC3'), orb::DATA_CONVERSION);

  std::vector<uint8_t> bytes{'A', 0xE9};
  orb::cdr::Decoder decoder(bytes, orb::cdr::ByteOrder::big_endian);
  decoder.set_char_code_set(CharCodeSet::iso8859_1);
  EXPECT_EQ(decoder.read_char(), 'A');
  EXPECT_THROW(decoder.read_char(), orb::DATA_CONVERSION);
}

TEST(CharCodeSet, EncapsulationsInheritTheCodeSet) {
  orb::cdr::Encoder encoder(orb::cdr::ByteOrder::big_endian);
  encoder.set_char_code_set(CharCodeSet::iso8859_1);
  encoder.write_encapsulation([&](orb::cdr::Encoder& inner) { inner.write_string(kCafe); });
  orb::cdr::Decoder decoder(encoder.bytes(), orb::cdr::ByteOrder::big_endian);
  decoder.set_char_code_set(CharCodeSet::iso8859_1);
  orb::cdr::Decoder inner = decoder.read_encapsulation();
  EXPECT_EQ(inner.read_string(), kCafe);
  EXPECT_EQ(encoder.bytes().size(), 4U + 1 + 3 + 4 + 5);  // length, order, padding, string
}

}  // namespace
