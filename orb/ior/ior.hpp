// Interoperable object references: the IOR value, its stand-alone
// encapsulation and its stringified "IOR:<hex>" form. The CDR form inside a
// message (a type id and a profile list) is giop::encode/decode on IorData;
// what an IIOP profile contains is orb/ior/iiop_profile.hpp.
#pragma once

#include <orb/cdr/byte_order.hpp>
#include <orb/giop/iop.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace orb::ior {

/// An object reference: a repository id and the tagged profiles by which
/// the object is reached. Profiles stay opaque octets until decoded.
using Ior = giop::IorData;

/// Encodes `ior` as an encapsulation without a length prefix: the
/// byte-order octet, then the IOR aligned relative to that octet.
std::vector<uint8_t> encode_ior_encapsulation(const Ior& ior,
                                              cdr::ByteOrder order = cdr::kNativeByteOrder);

/// Decodes an encapsulation built by encode_ior_encapsulation(). Raises
/// cdr::DecodeError (MARSHAL) with the byte offset of the fault, also when
/// bytes follow the IOR.
Ior decode_ior_encapsulation(std::span<const uint8_t> data);

/// Returns "IOR:" followed by the lowercase hex digits of the encapsulation.
std::string to_string(const Ior& ior, cdr::ByteOrder order = cdr::kNativeByteOrder);

/// Parses a stringified IOR. The prefix "IOR:" matches in any case and the
/// hex digits may be upper or lower case; nothing else, not even a
/// trailing newline, may follow them. Raises BAD_PARAM (kBadSchemeName)
/// without the prefix, MARSHAL (kBadIor) for a non-hex character or an odd
/// digit count, naming the offset in the string, and cdr::DecodeError for
/// a malformed encapsulation, naming the byte offset in the decoded octets.
Ior parse_ior_string(std::string_view text);

}  // namespace orb::ior
