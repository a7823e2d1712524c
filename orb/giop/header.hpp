// The 12-byte header that opens every GIOP message: magic, version, flags
// (byte order and more-fragments), message type and body size. Encoding and
// a checked decoding of that header live here; the message-specific
// headers that follow it are in orb/giop/messages.hpp and the cutting of a
// byte stream into messages is in orb/giop/framer.hpp.
#pragma once

#include <orb/cdr/byte_order.hpp>

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace orb::giop {

/// GIOP protocol version. This ORB speaks 1.0, 1.1 and 1.2.
struct Version {
  uint8_t major = 1;
  uint8_t minor = 2;
  auto operator<=>(const Version&) const = default;
};

inline constexpr Version kGiop10{1, 0};
inline constexpr Version kGiop11{1, 1};
inline constexpr Version kGiop12{1, 2};

/// Whether `version` is one of 1.0, 1.1 and 1.2.
constexpr bool is_supported(Version version) noexcept {
  return version.major == 1 && version.minor <= 2;
}

/// "1.2" for version 1.2.
std::string to_string(Version version);

/// GIOP message types with their wire values. Fragment exists from GIOP 1.1.
enum class MessageType : uint8_t {
  Request = 0,
  Reply = 1,
  CancelRequest = 2,
  LocateRequest = 3,
  LocateReply = 4,
  CloseConnection = 5,
  MessageError = 6,
  Fragment = 7,
};

/// The GIOP name of a message type, such as "LocateReply".
std::string_view to_string(MessageType type) noexcept;

/// Whether a message of this type may have its more-fragments flag set in
/// `version`: Request and Reply from 1.1, LocateRequest and LocateReply
/// from 1.2, and Fragment itself.
bool may_be_fragmented(Version version, MessageType type) noexcept;

/// Size of the GIOP message header in bytes.
inline constexpr size_t kHeaderSize = 12;

/// The decoded GIOP message header.
struct Header {
  Version version;
  cdr::ByteOrder byte_order = cdr::ByteOrder::big_endian;
  /// Set when Fragment messages follow with more of this message (GIOP 1.1+).
  bool more_fragments = false;
  MessageType type = MessageType::Request;
  /// Bytes after the 12-byte header.
  uint32_t body_size = 0;
  bool operator==(const Header&) const = default;
};

/// Encodes `header` into its 12 bytes. Raises BAD_PARAM (kBadVersion or
/// kUnsupportedInVersion) for a version this ORB does not speak, a Fragment
/// or more-fragments flag in GIOP 1.0, or more_fragments on a message type
/// that the version does not fragment.
std::array<uint8_t, kHeaderSize> encode_header(const Header& header);

/// Decodes and checks the first 12 bytes of `bytes`. Raises
/// cdr::DecodeError (a MARSHAL) with the offset of the faulty field and one
/// of the minor codes kTruncated, kBadMagic, kBadVersion, kBadFlags,
/// kBadMessageType or kBadFragment.
Header decode_header(std::span<const uint8_t> bytes);

/// Stores `value` as a 4-byte unsigned long in `order` at `out`.
void store_ulong(std::span<uint8_t, 4> out, uint32_t value, cdr::ByteOrder order) noexcept;

/// Reads a 4-byte unsigned long in `order` from `in`.
uint32_t load_ulong(std::span<const uint8_t, 4> in, cdr::ByteOrder order) noexcept;

}  // namespace orb::giop
