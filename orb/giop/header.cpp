// Encoding and checked decoding of the GIOP message header.
#include <orb/giop/header.hpp>

#include <orb/cdr/decoder.hpp>
#include <orb/exception.hpp>
#include <orb/minor.hpp>

#include <algorithm>
#include <cstdio>
#include <tuple>
#include <utility>

namespace orb::giop {
namespace {

constexpr std::array<uint8_t, 4> kMagic{'G', 'I', 'O', 'P'};
constexpr uint8_t kByteOrderBit = 0x01;
constexpr uint8_t kMoreFragmentsBit = 0x02;
constexpr uint8_t kLastMessageType = static_cast<uint8_t>(MessageType::Fragment);

// Field offsets inside the header, reported by decode errors.
constexpr size_t kVersionOffset = 4;
constexpr size_t kFlagsOffset = 6;
constexpr size_t kTypeOffset = 7;
constexpr size_t kSizeOffset = 8;

std::string hex_bytes(std::span<const uint8_t> bytes) {
  std::string text;
  for (uint8_t byte : bytes) {
    char digits[4];
    std::snprintf(digits, sizeof digits, "%02x", byte);
    text += text.empty() ? "" : " ";
    text += digits;
  }
  return text;
}

void check_encodable(const Header& header) {
  if (!is_supported(header.version)) {
    throw BAD_PARAM(minor::kBadVersion, CompletionStatus::no,
                    "encode GIOP header: version " + to_string(header.version) +
                        " is not supported (1.0, 1.1 and 1.2 are)");
  }
  if (header.type == MessageType::Fragment && header.version == kGiop10) {
    throw BAD_PARAM(minor::kUnsupportedInVersion, CompletionStatus::no,
                    "encode GIOP header: GIOP 1.0 has no Fragment message");
  }
  if (header.more_fragments && !may_be_fragmented(header.version, header.type)) {
    throw BAD_PARAM(minor::kUnsupportedInVersion, CompletionStatus::no,
                    "encode GIOP header: a GIOP " + to_string(header.version) + " " +
                        std::string(to_string(header.type)) + " message cannot be fragmented");
  }
}

[[noreturn]] void fail(uint32_t minor, size_t offset, const char* field,
                       const std::string& problem) {
  throw cdr::DecodeError(minor, offset, field, problem);
}

// Returns the byte order and more-fragments flag that the flags octet holds.
std::pair<cdr::ByteOrder, bool> decode_flags(Version version, uint8_t flags) {
  if (version == kGiop10 && flags > 1) {
    fail(minor::kBadFlags, kFlagsOffset, "GIOP 1.0 byte order",
         "value " + std::to_string(flags) + " is neither 0 nor 1");
  }
  if ((flags & ~(kByteOrderBit | kMoreFragmentsBit)) != 0) {
    fail(minor::kBadFlags, kFlagsOffset, "GIOP flags",
         "value 0x" + hex_bytes({&flags, 1}) + " sets reserved bits, which GIOP " +
             to_string(version) + " requires to be 0");
  }
  auto order =
      (flags & kByteOrderBit) != 0 ? cdr::ByteOrder::little_endian : cdr::ByteOrder::big_endian;
  return {order, (flags & kMoreFragmentsBit) != 0};
}

MessageType decode_type(Version version, uint8_t value) {
  if (value > kLastMessageType) {
    fail(minor::kBadMessageType, kTypeOffset, "GIOP message type",
         "value " + std::to_string(value) + " is not a GIOP message type (0 to 7)");
  }
  auto type = static_cast<MessageType>(value);
  if (type == MessageType::Fragment && version == kGiop10) {
    fail(minor::kBadMessageType, kTypeOffset, "GIOP message type",
         "value 7 (Fragment) does not exist in GIOP 1.0");
  }
  return type;
}

}  // namespace

std::string to_string(Version version) {
  return std::to_string(version.major) + "." + std::to_string(version.minor);
}

std::string_view to_string(MessageType type) noexcept {
  switch (type) {
    case MessageType::Request:
      return "Request";
    case MessageType::Reply:
      return "Reply";
    case MessageType::CancelRequest:
      return "CancelRequest";
    case MessageType::LocateRequest:
      return "LocateRequest";
    case MessageType::LocateReply:
      return "LocateReply";
    case MessageType::CloseConnection:
      return "CloseConnection";
    case MessageType::MessageError:
      return "MessageError";
    case MessageType::Fragment:
      return "Fragment";
  }
  return "unknown message type";
}

bool may_be_fragmented(Version version, MessageType type) noexcept {
  if (version < kGiop11) {
    return false;
  }
  switch (type) {
    case MessageType::Request:
    case MessageType::Reply:
    case MessageType::Fragment:
      return true;
    case MessageType::LocateRequest:
    case MessageType::LocateReply:
      return version >= kGiop12;
    default:
      return false;
  }
}

std::array<uint8_t, kHeaderSize> encode_header(const Header& header) {
  check_encodable(header);
  std::array<uint8_t, kHeaderSize> bytes{};
  std::copy(kMagic.begin(), kMagic.end(), bytes.begin());
  bytes[kVersionOffset] = header.version.major;
  bytes[kVersionOffset + 1] = header.version.minor;
  bytes[kFlagsOffset] = static_cast<uint8_t>(header.byte_order);
  if (header.more_fragments) {
    bytes[kFlagsOffset] |= kMoreFragmentsBit;
  }
  bytes[kTypeOffset] = static_cast<uint8_t>(header.type);
  store_ulong(std::span(bytes).subspan<kSizeOffset, 4>(), header.body_size, header.byte_order);
  return bytes;
}

Header decode_header(std::span<const uint8_t> bytes) {
  if (bytes.size() < kHeaderSize) {
    fail(minor::kTruncated, 0, "GIOP header",
         "needs 12 bytes but " + std::to_string(bytes.size()) + " are present");
  }
  if (!std::equal(kMagic.begin(), kMagic.end(), bytes.begin())) {
    fail(minor::kBadMagic, 0, "GIOP magic",
         "bytes " + hex_bytes(bytes.first(4)) + " are not \"GIOP\" (47 49 4f 50)");
  }

  Header header;
  header.version = {bytes[kVersionOffset], bytes[kVersionOffset + 1]};
  if (!is_supported(header.version)) {
    fail(minor::kBadVersion, kVersionOffset, "GIOP version",
         "version " + to_string(header.version) + " is not supported (1.0, 1.1 and 1.2 are)");
  }
  std::tie(header.byte_order, header.more_fragments) =
      decode_flags(header.version, bytes[kFlagsOffset]);
  header.type = decode_type(header.version, bytes[kTypeOffset]);
  if (header.more_fragments && !may_be_fragmented(header.version, header.type)) {
    fail(minor::kBadFragment, kFlagsOffset, "GIOP flags",
         "more-fragments is set on a GIOP " + to_string(header.version) + " " +
             std::string(to_string(header.type)) + ", which that version cannot fragment");
  }
  header.body_size = load_ulong(bytes.subspan<kSizeOffset, 4>(), header.byte_order);
  return header;
}

void store_ulong(std::span<uint8_t, 4> out, uint32_t value, cdr::ByteOrder order) noexcept {
  for (size_t i = 0; i < 4; ++i) {
    size_t shift = order == cdr::ByteOrder::big_endian ? 8 * (3 - i) : 8 * i;
    out[i] = static_cast<uint8_t>(value >> shift);
  }
}

uint32_t load_ulong(std::span<const uint8_t, 4> in, cdr::ByteOrder order) noexcept {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) {
    size_t shift = order == cdr::ByteOrder::big_endian ? 8 * (3 - i) : 8 * i;
    value |= static_cast<uint32_t>(in[i]) << shift;
  }
  return value;
}

}  // namespace orb::giop
