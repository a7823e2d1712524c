// The message-specific headers of GIOP 1.0, 1.1 and 1.2 (Request, Reply,
// CancelRequest, LocateRequest, LocateReply, Fragment), the 1.2 target
// address union, the system exception reply body, and a writer and a reader
// that wrap a whole message around them. One C++ struct serves all three
// versions of each header; the encode and decode functions take the version
// and write or read the fields, order and padding that version defines.
// Cutting a byte stream into messages and reassembling fragments is the
// framer's job (orb/giop/framer.hpp).
#pragma once

#include <orb/cdr/decoder.hpp>
#include <orb/cdr/encoder.hpp>
#include <orb/exception.hpp>
#include <orb/giop/framer.hpp>
#include <orb/giop/header.hpp>
#include <orb/giop/iop.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace orb::giop {

// ---------------------------------------------------------------------------
// Target address (GIOP 1.2)

/// GIOP::AddressingDisposition: the discriminator of TargetAddress.
using AddressingDisposition = int16_t;
inline constexpr AddressingDisposition kKeyAddr = 0;
inline constexpr AddressingDisposition kProfileAddr = 1;
inline constexpr AddressingDisposition kReferenceAddr = 2;

/// The target named by its object key, the only form GIOP 1.0 and 1.1 have.
struct KeyAddr {
  std::vector<uint8_t> object_key;
  bool operator==(const KeyAddr&) const = default;
};

/// The target named by the profile the client used to reach it.
struct ProfileAddr {
  TaggedProfile profile;
  bool operator==(const ProfileAddr&) const = default;
};

/// GIOP::IORAddressingInfo: a whole IOR and the index of the profile used.
struct ReferenceAddr {
  uint32_t selected_profile_index = 0;
  IorData ior;
  bool operator==(const ReferenceAddr&) const = default;
};

/// GIOP::TargetAddress; the variant index is the AddressingDisposition.
using TargetAddress = std::variant<KeyAddr, ProfileAddr, ReferenceAddr>;

void encode(cdr::Encoder& encoder, const TargetAddress& target);
/// Raises DecodeError (kInvalidValue) for a discriminator other than 0, 1, 2.
void decode(cdr::Decoder& decoder, TargetAddress& target);

// ---------------------------------------------------------------------------
// Request

/// GIOP 1.2 response_flags values. GIOP 1.0 and 1.1 carry only a boolean
/// response_expected, which maps to kResponseExpected or kResponseNone.
inline constexpr uint8_t kResponseNone = 0;        // oneway (SYNC_NONE, SYNC_WITH_TRANSPORT)
inline constexpr uint8_t kResponseWithServer = 1;  // SYNC_WITH_SERVER
inline constexpr uint8_t kResponseExpected = 3;    // SYNC_WITH_TARGET, a normal two-way call

/// RequestHeader_1_0, _1_1 and _1_2 in one struct.
struct RequestHeader {
  uint32_t request_id = 0;
  /// One of kResponseNone, kResponseWithServer, kResponseExpected.
  uint8_t response_flags = kResponseExpected;
  /// GIOP 1.0 and 1.1 can only carry a KeyAddr.
  TargetAddress target;
  std::string operation;
  ServiceContextList service_context;
  /// Sent only in GIOP 1.0 and 1.1; empty in practice.
  std::vector<uint8_t> requesting_principal;

  /// Whether the client waits for a reply (any flags other than kResponseNone).
  bool response_expected() const noexcept { return response_flags != kResponseNone; }
  bool operator==(const RequestHeader&) const = default;
};

/// Raises BAD_PARAM (kUnsupportedInVersion) for a target other than KeyAddr
/// in GIOP 1.0 or 1.1.
void encode(cdr::Encoder& encoder, Version version, const RequestHeader& header);
/// Raises DecodeError (kInvalidValue) for response flags other than 0, 1, 3.
void decode(cdr::Decoder& decoder, Version version, RequestHeader& header);

// ---------------------------------------------------------------------------
// Reply

/// GIOP::ReplyStatusType. The last two values exist from GIOP 1.2.
enum class ReplyStatus : uint32_t {
  NO_EXCEPTION = 0,
  USER_EXCEPTION = 1,
  SYSTEM_EXCEPTION = 2,
  LOCATION_FORWARD = 3,
  LOCATION_FORWARD_PERM = 4,
  NEEDS_ADDRESSING_MODE = 5,
};

/// ReplyHeader_1_0 (also 1.1) and ReplyHeader_1_2 in one struct.
struct ReplyHeader {
  uint32_t request_id = 0;
  ReplyStatus reply_status = ReplyStatus::NO_EXCEPTION;
  ServiceContextList service_context;
  bool operator==(const ReplyHeader&) const = default;
};

/// Raises BAD_PARAM (kUnsupportedInVersion) for a 1.2-only status in 1.0 or 1.1.
void encode(cdr::Encoder& encoder, Version version, const ReplyHeader& header);
/// Raises DecodeError (kInvalidValue) for a status the version does not define.
void decode(cdr::Decoder& decoder, Version version, ReplyHeader& header);

/// Writes a SystemExceptionReplyBody: repository id, minor code, completion
/// status. The exception's message stays local.
void encode_system_exception(cdr::Encoder& encoder, const SystemException& exception);
/// Reads a SystemExceptionReplyBody into the matching exception class (an
/// unknown repository id becomes UNKNOWN). Raises DecodeError
/// (kInvalidValue) for a completion status above 2.
std::unique_ptr<SystemException> decode_system_exception(cdr::Decoder& decoder);

// ---------------------------------------------------------------------------
// CancelRequest, LocateRequest, LocateReply, Fragment

/// CancelRequestHeader, the same in every version.
struct CancelRequestHeader {
  uint32_t request_id = 0;
  bool operator==(const CancelRequestHeader&) const = default;
};

void encode(cdr::Encoder& encoder, Version version, const CancelRequestHeader& header);
void decode(cdr::Decoder& decoder, Version version, CancelRequestHeader& header);

/// LocateRequestHeader_1_0 (also 1.1, which carry an object key) and _1_2.
struct LocateRequestHeader {
  uint32_t request_id = 0;
  /// GIOP 1.0 and 1.1 can only carry a KeyAddr.
  TargetAddress target;
  bool operator==(const LocateRequestHeader&) const = default;
};

void encode(cdr::Encoder& encoder, Version version, const LocateRequestHeader& header);
void decode(cdr::Decoder& decoder, Version version, LocateRequestHeader& header);

/// GIOP::LocateStatusType. The last three values exist from GIOP 1.2.
enum class LocateStatus : uint32_t {
  UNKNOWN_OBJECT = 0,
  OBJECT_HERE = 1,
  OBJECT_FORWARD = 2,
  OBJECT_FORWARD_PERM = 3,
  LOC_SYSTEM_EXCEPTION = 4,
  LOC_NEEDS_ADDRESSING_MODE = 5,
};

/// LocateReplyHeader_1_0 (also 1.1) and _1_2, which have the same fields.
struct LocateReplyHeader {
  uint32_t request_id = 0;
  LocateStatus locate_status = LocateStatus::UNKNOWN_OBJECT;
  bool operator==(const LocateReplyHeader&) const = default;
};

void encode(cdr::Encoder& encoder, Version version, const LocateReplyHeader& header);
void decode(cdr::Decoder& decoder, Version version, LocateReplyHeader& header);

/// FragmentHeader_1_2. GIOP 1.1 fragments have no header at all, so both
/// functions raise BAD_PARAM (kUnsupportedInVersion) for a version below 1.2.
struct FragmentHeader {
  uint32_t request_id = 0;
  bool operator==(const FragmentHeader&) const = default;
};

void encode(cdr::Encoder& encoder, Version version, const FragmentHeader& header);
void decode(cdr::Decoder& decoder, Version version, FragmentHeader& header);

// ---------------------------------------------------------------------------
// Whole messages

/// Builds one GIOP message. The constructor writes the 12-byte header with
/// a placeholder size; the encoder's alignment origin is the first byte of
/// that header, as GIOP requires, and its giop_minor follows the version.
/// A message ready to send whose body may refer to blocks that its encoder
/// borrowed (see cdr::Encoder::borrow_blocks_from()): each borrowed block
/// goes between bytes[0, at) and the rest of `bytes`.
struct OutgoingMessage {
  OutgoingMessage() = default;
  OutgoingMessage(std::vector<uint8_t> all)
      : bytes(std::move(all)) {}  // NOLINT: implicit on purpose
  // A copy's borrowed spans would still point into the original's blocks.
  OutgoingMessage(const OutgoingMessage&) = delete;
  OutgoingMessage& operator=(const OutgoingMessage&) = delete;
  OutgoingMessage(OutgoingMessage&&) noexcept = default;
  OutgoingMessage& operator=(OutgoingMessage&&) noexcept = default;
  ~OutgoingMessage() = default;

  std::vector<uint8_t> bytes;
  std::vector<cdr::BorrowedBytes> borrowed;
  /// Blocks that the message owns; some of `borrowed` refer to them.
  std::vector<std::vector<uint8_t>> kept;

  /// The pieces to send, in order.
  std::vector<std::span<const uint8_t>> pieces() const;
  /// The offset and size of each borrowed block in the whole message, for
  /// a block notice: the first Framer::kMaxNoticeBlocks blocks at most.
  std::vector<BlockRange> block_ranges() const;
};

class MessageWriter {
 public:
  MessageWriter(Version version, cdr::ByteOrder order, MessageType type);

  Version version() const noexcept { return header_.version; }
  MessageType type() const noexcept { return header_.type; }
  cdr::Encoder& encoder() noexcept { return encoder_; }

  /// Ends the message-specific header. In GIOP 1.2 the body of a Request
  /// or Reply starts at a multiple of 8, so this pads to 8.
  void begin_body();
  /// Sets the more-fragments flag; finish() raises BAD_PARAM when the
  /// version cannot fragment this message type.
  void set_more_fragments(bool more) noexcept { header_.more_fragments = more; }

  /// Fills in the size field and returns the message. When nothing followed
  /// begin_body(), its padding is dropped, so a message without a body ends
  /// right after its header; receivers accept both forms. Call it once.
  std::vector<uint8_t> finish();
  /// Like finish(), but leaves borrowed blocks where they lie.
  OutgoingMessage finish_borrowing();

 private:
  Header header_;
  cdr::Encoder encoder_;
  size_t header_end_ = 0;  // position before the body padding
  size_t body_start_ = 0;  // position after the body padding; 0 until begin_body()
};

/// Writes the header and the request header; the writer is ready for the body.
MessageWriter encode_request(Version version, cdr::ByteOrder order, const RequestHeader& header);
/// Writes the header and the reply header; the writer is ready for the body.
MessageWriter encode_reply(Version version, cdr::ByteOrder order, const ReplyHeader& header);
/// Writes the header and the locate reply header; the writer is ready for
/// the body (an IOR, a system exception or an AddressingDisposition),
/// which this ORB does not pad to 8 in GIOP 1.2 (omniORB 4.2 reads it
/// unpadded), unlike a Reply's.
MessageWriter encode_locate_reply(Version version, cdr::ByteOrder order,
                                  const LocateReplyHeader& header);
/// Writes a Fragment header (with the request id from GIOP 1.2 on); the
/// writer is ready for the fragment's data.
MessageWriter encode_fragment(Version version, cdr::ByteOrder order, const FragmentHeader& header);

std::vector<uint8_t> encode_cancel_request(Version version, cdr::ByteOrder order,
                                           const CancelRequestHeader& header);
std::vector<uint8_t> encode_locate_request(Version version, cdr::ByteOrder order,
                                           const LocateRequestHeader& header);
std::vector<uint8_t> encode_close_connection(Version version, cdr::ByteOrder order);
std::vector<uint8_t> encode_message_error(Version version, cdr::ByteOrder order);

/// Reads one complete message (header included), such as one the framer
/// returns. The constructor checks the header and that the size field
/// matches the bytes; each read_..._header() checks the message type, decodes
/// that header and leaves decoder() at the start of the body, aligned as the
/// version requires. `message` must outlive the reader.
class MessageReader {
 public:
  /// Raises DecodeError: the header's errors, or kBadMessageSize when the
  /// size field disagrees with the number of bytes after the header.
  explicit MessageReader(std::span<const uint8_t> message);
  /// Reads a message from the framer; its detached blocks, if any, go to
  /// the values decoded from them without a copy (see Message::detached).
  /// With `take_blocks` false they are copied, and the message can be read again.
  explicit MessageReader(Message& message, bool take_blocks = true);

  const Header& header() const noexcept { return header_; }
  /// A decoder positioned after the headers read so far, with offsets and
  /// alignment counted from the first byte of the message.
  cdr::Decoder& decoder() noexcept { return decoder_; }

  // Each raises BAD_PARAM (kWrongMessageType) when the message has another type.
  RequestHeader read_request_header();
  ReplyHeader read_reply_header();
  CancelRequestHeader read_cancel_request_header();
  LocateRequestHeader read_locate_request_header();
  LocateReplyHeader read_locate_reply_header();
  /// GIOP 1.2 only; a GIOP 1.1 fragment's data starts right after the header.
  FragmentHeader read_fragment_header();

 private:
  void check_size();
  void expect_type(MessageType type) const;
  void begin_body();

  Header header_;
  cdr::Decoder decoder_;
};

}  // namespace orb::giop
