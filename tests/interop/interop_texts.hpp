// The fixed texts that both sides of the interop tests know, in the native
// form of each ORB: UTF-8 and UTF-32 wchar_t for this ORB, ISO-8859-1 and
// UTF-16 units in wchar_t for omniORB (its default native code sets).
#pragma once

namespace interop {

/// "café, Grüße" in UTF-8.
inline constexpr const char* kUtf8Text =
    "caf\xC3\xA9, Gr\xC3\xBC\xC3\x9F"
    "e";
/// "café, Grüße" in ISO-8859-1.
inline constexpr const char* kLatinText =
    "caf\xE9, Gr\xFC\xDF"
    "e";
/// "café, Grüße, " and U+1F600 as UTF-32.
inline constexpr const wchar_t* kWideUtf32Text = L"caf\u00E9, Gr\u00FC\u00DFe, \U0001F600";
/// The same text as UTF-16 units, U+1F600 as a surrogate pair.
inline constexpr const wchar_t* kWideText = L"caf\u00E9, Gr\u00FC\u00DFe, \xD83D\xDE00";

}  // namespace interop
