// Encapsulation and message helpers of the IOR layer.
#include <orb/ior/detail.hpp>

#include <orb/minor.hpp>

namespace orb::ior::detail {

cdr::Decoder open_encapsulation(std::span<const uint8_t> data, std::string_view what) {
  // Alignment inside an encapsulation counts from its byte-order octet, so
  // the decoder's origin is data[0].
  cdr::Decoder decoder(data, cdr::ByteOrder::big_endian, 0);
  if (data.empty()) {
    decoder.fail(minor::kTruncated, what, "empty, so it has no byte-order octet");
  }
  uint8_t flag = data[0];
  if (flag > 1) {
    decoder.fail(minor::kInvalidValue, what,
                 "byte-order octet " + std::to_string(flag) + " is neither 0 nor 1");
  }
  decoder.read_octet(what);
  decoder.set_byte_order(static_cast<cdr::ByteOrder>(flag));
  return decoder;
}

void expect_end(const cdr::Decoder& decoder, std::string_view what) {
  if (!decoder.at_end()) {
    size_t extra = decoder.remaining();
    decoder.fail(minor::kInvalidValue, what,
                 std::to_string(extra) + (extra == 1 ? " unexpected byte" : " unexpected bytes") +
                     " after its last field");
  }
}

std::string quote(std::string_view text, size_t max_length) {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string quoted = "\"";
  for (size_t i = 0; i < text.size() && i < max_length; ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '"' || byte == '\\') {
      quoted += '\\';
      quoted += static_cast<char>(byte);
    } else if (byte >= 0x20 && byte < 0x7f) {
      quoted += static_cast<char>(byte);
    } else {
      quoted += "\\x";
      quoted += kHexDigits[byte >> 4];
      quoted += kHexDigits[byte & 0xf];
    }
  }
  quoted += '"';
  if (text.size() > max_length) {
    quoted += "...";
  }
  return quoted;
}

}  // namespace orb::ior::detail
