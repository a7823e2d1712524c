// The code sets that char and string data may travel in, and conversion
// between them. This ORB keeps narrow text as UTF-8 (its native char code
// set); a connection that negotiated ISO-8859-1 converts at the wire, in
// the Encoder and Decoder. Negotiation itself is the ORB's business.
#pragma once

#include <orb/exception.hpp>
#include <orb/minor.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace orb::cdr {

/// The transmission code set of char and string data on a stream.
enum class CharCodeSet : uint8_t {
  utf8,       ///< UTF-8, the native form: bytes pass unchanged
  iso8859_1,  ///< ISO-8859-1 (Latin-1): one byte per character up to U+00FF
};

namespace detail {

/// Converts UTF-8 `text` to ISO-8859-1. Raises DATA_CONVERSION
/// (kCharNotInCodeSet) naming `what` for a character above U+00FF or for
/// bytes that are not UTF-8.
inline std::string utf8_to_latin1(std::string_view text, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<uint8_t>(text[i]);
    if (byte < 0x80) {
      out.push_back(static_cast<char>(byte));
      continue;
    }
    // U+0080..U+00FF are the two-byte sequences C2 80..C3 BF.
    bool latin1 = (byte == 0xC2 || byte == 0xC3) && i + 1 < text.size() &&
                  (static_cast<uint8_t>(text[i + 1]) & 0xC0) == 0x80;
    if (!latin1) {
      throw DATA_CONVERSION(minor::kCharNotInCodeSet, CompletionStatus::no,
                            "encode " + std::string(what) + ": byte " + std::to_string(i) +
                                " starts a character that ISO-8859-1 cannot represent");
    }
    out.push_back(static_cast<char>(((byte & 0x03) << 6) | (text[++i] & 0x3F)));
  }
  return out;
}

/// Converts ISO-8859-1 `text` to UTF-8; every Latin-1 character has a form.
inline std::string latin1_to_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<uint8_t>(c);
    if (byte < 0x80) {
      out.push_back(c);
    } else {
      out.push_back(static_cast<char>(0xC0 | (byte >> 6)));
      out.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
    }
  }
  return out;
}

}  // namespace detail
}  // namespace orb::cdr
