// UTF-32 <-> UTF-16 conversion for wchar and wstring, which travel as
// UTF-16 (the wide transmission code set this ORB negotiates).
#pragma once

#include <orb/exception.hpp>
#include <orb/minor.hpp>

#include <string>
#include <string_view>

namespace orb::cdr::detail {

inline constexpr char16_t kByteOrderMark = 0xFEFF;
inline constexpr char16_t kSwappedByteOrderMark = 0xFFFE;

/// Appends the UTF-16 form of one code point; raises DATA_CONVERSION for a
/// surrogate or a value above U+10FFFF.
inline void append_utf16(std::u16string& out, wchar_t wide) {
  auto code = static_cast<uint32_t>(wide);
  if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    throw DATA_CONVERSION(minor::kBadCodePoint, CompletionStatus::no,
                          "encode wchar: " + std::to_string(code) + " is not a Unicode code point");
  }
  if (code < 0x10000) {
    out.push_back(static_cast<char16_t>(code));
    return;
  }
  code -= 0x10000;
  out.push_back(static_cast<char16_t>(0xD800 + (code >> 10)));
  out.push_back(static_cast<char16_t>(0xDC00 + (code & 0x3FF)));
}

inline std::u16string to_utf16(std::wstring_view text) {
  std::u16string out;
  out.reserve(text.size());
  for (wchar_t wide : text) {
    append_utf16(out, wide);
  }
  return out;
}

/// Decodes UTF-16 units into code points; returns false on an unpaired surrogate.
inline bool from_utf16(std::u16string_view units, std::wstring& out) {
  out.clear();
  out.reserve(units.size());
  for (size_t i = 0; i < units.size(); ++i) {
    char16_t unit = units[i];
    if (unit < 0xD800 || unit > 0xDFFF) {
      out.push_back(static_cast<wchar_t>(unit));
      continue;
    }
    if (unit > 0xDBFF || i + 1 == units.size() || units[i + 1] < 0xDC00 || units[i + 1] > 0xDFFF) {
      return false;
    }
    uint32_t high = unit - 0xD800U;
    uint32_t low = units[++i] - 0xDC00U;
    out.push_back(static_cast<wchar_t>(0x10000 + (high << 10) + low));
  }
  return true;
}

}  // namespace orb::cdr::detail
