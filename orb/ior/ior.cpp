// Stand-alone and stringified forms of an IOR.
#include <orb/ior/ior.hpp>

#include <orb/exception.hpp>
#include <orb/ior/detail.hpp>
#include <orb/minor.hpp>

namespace orb::ior {
namespace {

constexpr std::string_view kPrefix = "IOR:";

bool has_prefix(std::string_view text) {
  if (text.size() < kPrefix.size()) {
    return false;
  }
  for (size_t i = 0; i < kPrefix.size(); ++i) {
    char c = text[i];
    char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (upper != kPrefix[i]) {
      return false;
    }
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

[[noreturn]] void fail_hex(std::string_view text, const std::string& problem) {
  throw MARSHAL(minor::kBadIor, CompletionStatus::no,
                "parse stringified IOR " + detail::quote(text, 80) + ": " + problem);
}

// Converts the hex digits that follow the prefix. Offsets in messages count
// from the start of the whole string.
std::vector<uint8_t> decode_hex(std::string_view text) {
  std::string_view digits = text.substr(kPrefix.size());
  for (size_t i = 0; i < digits.size(); ++i) {
    if (hex_value(digits[i]) < 0) {
      fail_hex(text, "character " + detail::quote(digits.substr(i, 1)) + " at offset " +
                         std::to_string(kPrefix.size() + i) + " is not a hex digit");
    }
  }
  if (digits.empty()) {
    fail_hex(text, "no hex digits follow \"IOR:\"");
  }
  if (digits.size() % 2 != 0) {
    fail_hex(text, "odd number of hex digits (" + std::to_string(digits.size()) +
                       "), so the last octet at offset " + std::to_string(text.size() - 1) +
                       " is incomplete");
  }
  std::vector<uint8_t> bytes(digits.size() / 2);
  for (size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<uint8_t>(hex_value(digits[2 * i]) << 4 | hex_value(digits[2 * i + 1]));
  }
  return bytes;
}

}  // namespace

std::vector<uint8_t> encode_ior_encapsulation(const Ior& ior, cdr::ByteOrder order) {
  return detail::make_encapsulation(order,
                                    [&](cdr::Encoder& encoder) { giop::encode(encoder, ior); });
}

Ior decode_ior_encapsulation(std::span<const uint8_t> data) {
  cdr::Decoder decoder = detail::open_encapsulation(data, "IOR encapsulation");
  Ior ior;
  giop::decode(decoder, ior);
  detail::expect_end(decoder, "IOR encapsulation");
  return ior;
}

std::string to_string(const Ior& ior, cdr::ByteOrder order) {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::vector<uint8_t> bytes = encode_ior_encapsulation(ior, order);
  std::string text(kPrefix);
  text.reserve(kPrefix.size() + 2 * bytes.size());
  for (uint8_t byte : bytes) {
    text += kHexDigits[byte >> 4];
    text += kHexDigits[byte & 0xf];
  }
  return text;
}

Ior parse_ior_string(std::string_view text) {
  if (!has_prefix(text)) {
    throw BAD_PARAM(
        minor::kBadSchemeName, CompletionStatus::no,
        "parse stringified IOR " + detail::quote(text, 80) + ": it does not start with \"IOR:\"");
  }
  return decode_ior_encapsulation(decode_hex(text));
}

}  // namespace orb::ior
