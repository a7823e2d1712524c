// CDR forms of the GIOP message headers in each version, and the writer and
// reader of whole messages.
#include <orb/giop/messages.hpp>

#include <orb/minor.hpp>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <utility>

namespace orb::giop {
namespace {

// GIOP aligns Request, Reply and LocateReply bodies to 8 from version 1.2.
constexpr size_t kBodyAlignment = 8;
// Offset of the message size field in the GIOP header.
constexpr size_t kSizeFieldOffset = 8;
constexpr uint32_t kLastCompletionStatus = static_cast<uint32_t>(CompletionStatus::maybe);

[[noreturn]] void raise_unsupported(Version version, const std::string& what) {
  throw BAD_PARAM(minor::kUnsupportedInVersion, CompletionStatus::no,
                  "encode GIOP " + to_string(version) + " message: " + what);
}

// Reads an enumerated ulong and checks it against its last valid value. The
// error names the offset where the ulong starts and the valid values. Every
// reply header is read this way, so `valid()` builds that text only on error.
template <class Valid>
uint32_t read_enum(cdr::Decoder& decoder, uint32_t last, std::string_view what, Valid valid) {
  decoder.align(4, what);
  size_t start = decoder.position();
  uint32_t value = decoder.read_ulong(what);
  if (value > last) {
    throw cdr::DecodeError(minor::kInvalidValue, start, std::string(what),
                           "value " + std::to_string(value) + " is not " + valid());
  }
  return value;
}

/// Describes the valid values of a GIOP `kind` ("reply status") in `version`.
std::string versioned_range(Version version, std::string_view kind, uint32_t last) {
  return "a GIOP " + to_string(version) + " " + std::string(kind) + " (0 to " +
         std::to_string(last) + ")";
}

const std::vector<uint8_t>& key_of(Version version, const TargetAddress& target) {
  if (const auto* key = std::get_if<KeyAddr>(&target)) {
    return key->object_key;
  }
  raise_unsupported(version, "the target must be an object key (KeyAddr) before GIOP 1.2");
}

void encode_request_10(cdr::Encoder& encoder, Version version, const RequestHeader& header) {
  encode(encoder, header.service_context);
  encoder.write_ulong(header.request_id);
  encoder.write_boolean(header.response_expected());
  if (version == kGiop11) {
    encoder.write_octets(std::array<uint8_t, 3>{});  // reserved
  }
  encoder.write_octet_sequence(key_of(version, header.target));
  encoder.write_string(header.operation);
  encoder.write_octet_sequence(header.requesting_principal);
}

void encode_request_12(cdr::Encoder& encoder, const RequestHeader& header) {
  encoder.write_ulong(header.request_id);
  encoder.write_octet(header.response_flags);
  encoder.write_octets(std::array<uint8_t, 3>{});  // reserved
  encode(encoder, header.target);
  encoder.write_string(header.operation);
  encode(encoder, header.service_context);
}

void decode_request_10(cdr::Decoder& decoder, Version version, RequestHeader& header) {
  decode(decoder, header.service_context);
  header.request_id = decoder.read_ulong("request id");
  header.response_flags =
      decoder.read_boolean("response_expected") ? kResponseExpected : kResponseNone;
  if (version == kGiop11) {
    decoder.read_octets(3, "reserved octets");
  }
  header.target = KeyAddr{decoder.read_octet_sequence(0, "object key")};
  header.operation = decoder.read_string(0, "operation");
  header.requesting_principal = decoder.read_octet_sequence(0, "requesting principal");
}

void decode_request_12(cdr::Decoder& decoder, RequestHeader& header) {
  header.request_id = decoder.read_ulong("request id");
  size_t flags_offset = decoder.position();
  header.response_flags = decoder.read_octet("response flags");
  if (header.response_flags != kResponseNone && header.response_flags != kResponseWithServer &&
      header.response_flags != kResponseExpected) {
    throw cdr::DecodeError(minor::kInvalidValue, flags_offset, "response flags",
                           "value " + std::to_string(header.response_flags) + " is not 0, 1 or 3");
  }
  decoder.read_octets(3, "reserved octets");
  decode(decoder, header.target);
  header.operation = decoder.read_string(0, "operation");
  decode(decoder, header.service_context);
  header.requesting_principal.clear();
}

}  // namespace

// ---------------------------------------------------------------------------
// Target address

void encode(cdr::Encoder& encoder, const TargetAddress& target) {
  encoder.write_short(static_cast<AddressingDisposition>(target.index()));
  if (const auto* key = std::get_if<KeyAddr>(&target)) {
    encoder.write_octet_sequence(key->object_key);
  } else if (const auto* profile = std::get_if<ProfileAddr>(&target)) {
    encode(encoder, profile->profile);
  } else {
    const auto& reference = std::get<ReferenceAddr>(target);
    encoder.write_ulong(reference.selected_profile_index);
    encode(encoder, reference.ior);
  }
}

void decode(cdr::Decoder& decoder, TargetAddress& target) {
  decoder.align(2, "addressing disposition");
  size_t start = decoder.position();
  AddressingDisposition disposition = decoder.read_short("addressing disposition");
  switch (disposition) {
    case kKeyAddr:
      target = KeyAddr{decoder.read_octet_sequence(0, "object key")};
      return;
    case kProfileAddr: {
      ProfileAddr address;
      decode(decoder, address.profile);
      target = std::move(address);
      return;
    }
    case kReferenceAddr: {
      ReferenceAddr address;
      address.selected_profile_index = decoder.read_ulong("selected profile index");
      decode(decoder, address.ior);
      target = std::move(address);
      return;
    }
    default:
      throw cdr::DecodeError(minor::kInvalidValue, start, "addressing disposition",
                             "value " + std::to_string(disposition) +
                                 " is not KeyAddr (0), ProfileAddr (1) or ReferenceAddr (2)");
  }
}

// ---------------------------------------------------------------------------
// Request and Reply

void encode(cdr::Encoder& encoder, Version version, const RequestHeader& header) {
  if (version < kGiop12) {
    encode_request_10(encoder, version, header);
  } else {
    encode_request_12(encoder, header);
  }
}

void decode(cdr::Decoder& decoder, Version version, RequestHeader& header) {
  if (version < kGiop12) {
    decode_request_10(decoder, version, header);
  } else {
    decode_request_12(decoder, header);
  }
}

void encode(cdr::Encoder& encoder, Version version, const ReplyHeader& header) {
  if (version < kGiop12 && header.reply_status > ReplyStatus::LOCATION_FORWARD) {
    raise_unsupported(version, "reply status " +
                                   std::to_string(static_cast<uint32_t>(header.reply_status)) +
                                   " exists only from GIOP 1.2");
  }
  if (version < kGiop12) {
    encode(encoder, header.service_context);
  }
  encoder.write_ulong(header.request_id);
  encoder.write_ulong(static_cast<uint32_t>(header.reply_status));
  if (version >= kGiop12) {
    encode(encoder, header.service_context);
  }
}

void decode(cdr::Decoder& decoder, Version version, ReplyHeader& header) {
  if (version < kGiop12) {
    decode(decoder, header.service_context);
  }
  header.request_id = decoder.read_ulong("request id");
  auto last =
      version < kGiop12 ? ReplyStatus::LOCATION_FORWARD : ReplyStatus::NEEDS_ADDRESSING_MODE;
  uint32_t status = read_enum(decoder, static_cast<uint32_t>(last), "reply status", [&] {
    return versioned_range(version, "reply status", static_cast<uint32_t>(last));
  });
  header.reply_status = static_cast<ReplyStatus>(status);
  if (version >= kGiop12) {
    decode(decoder, header.service_context);
  }
}

void encode_system_exception(cdr::Encoder& encoder, const SystemException& exception) {
  encoder.write_string(exception.repository_id());
  encoder.write_ulong(exception.minor());
  encoder.write_ulong(static_cast<uint32_t>(exception.completed()));
}

std::unique_ptr<SystemException> decode_system_exception(cdr::Decoder& decoder) {
  std::string id = decoder.read_string(0, "system exception repository id");
  uint32_t minor_code = decoder.read_ulong("system exception minor code");
  uint32_t completed = read_enum(decoder, kLastCompletionStatus, "completion status", [] {
    return std::string("COMPLETED_YES (0), COMPLETED_NO (1) or COMPLETED_MAYBE (2)");
  });
  return make_system_exception(id, minor_code, static_cast<CompletionStatus>(completed));
}

// ---------------------------------------------------------------------------
// CancelRequest, LocateRequest, LocateReply, Fragment

void encode(cdr::Encoder& encoder, Version /*version*/, const CancelRequestHeader& header) {
  encoder.write_ulong(header.request_id);
}

void decode(cdr::Decoder& decoder, Version /*version*/, CancelRequestHeader& header) {
  header.request_id = decoder.read_ulong("request id");
}

void encode(cdr::Encoder& encoder, Version version, const LocateRequestHeader& header) {
  encoder.write_ulong(header.request_id);
  if (version < kGiop12) {
    encoder.write_octet_sequence(key_of(version, header.target));
  } else {
    encode(encoder, header.target);
  }
}

void decode(cdr::Decoder& decoder, Version version, LocateRequestHeader& header) {
  header.request_id = decoder.read_ulong("request id");
  if (version < kGiop12) {
    header.target = KeyAddr{decoder.read_octet_sequence(0, "object key")};
  } else {
    decode(decoder, header.target);
  }
}

void encode(cdr::Encoder& encoder, Version version, const LocateReplyHeader& header) {
  if (version < kGiop12 && header.locate_status > LocateStatus::OBJECT_FORWARD) {
    raise_unsupported(version, "locate status " +
                                   std::to_string(static_cast<uint32_t>(header.locate_status)) +
                                   " exists only from GIOP 1.2");
  }
  encoder.write_ulong(header.request_id);
  encoder.write_ulong(static_cast<uint32_t>(header.locate_status));
}

void decode(cdr::Decoder& decoder, Version version, LocateReplyHeader& header) {
  header.request_id = decoder.read_ulong("request id");
  auto last =
      version < kGiop12 ? LocateStatus::OBJECT_FORWARD : LocateStatus::LOC_NEEDS_ADDRESSING_MODE;
  uint32_t status = read_enum(decoder, static_cast<uint32_t>(last), "locate status", [&] {
    return versioned_range(version, "locate status", static_cast<uint32_t>(last));
  });
  header.locate_status = static_cast<LocateStatus>(status);
}

void encode(cdr::Encoder& encoder, Version version, const FragmentHeader& header) {
  if (version < kGiop12) {
    raise_unsupported(version, "a Fragment header exists only from GIOP 1.2");
  }
  encoder.write_ulong(header.request_id);
}

void decode(cdr::Decoder& decoder, Version version, FragmentHeader& header) {
  if (version < kGiop12) {
    throw BAD_PARAM(
        minor::kUnsupportedInVersion, CompletionStatus::no,
        "decode Fragment header: GIOP " + to_string(version) + " fragments have no header");
  }
  header.request_id = decoder.read_ulong("request id");
}

// ---------------------------------------------------------------------------
// MessageWriter

namespace {
constexpr size_t kInitialMessageCapacity = 256;
}  // namespace

MessageWriter::MessageWriter(Version version, cdr::ByteOrder order, MessageType type)
    : header_{version, order, false, type, 0}, encoder_(order, 0) {
  // Room for the headers and a small body; growing from empty would
  // reallocate four or five times for a typical request.
  encoder_.reserve(kInitialMessageCapacity);
  encoder_.set_giop_minor(version.minor);
  encoder_.write_octets(encode_header(header_));
}

void MessageWriter::begin_body() {
  if (header_.version >= kGiop12 && header_.type != MessageType::Fragment) {
    header_end_ = encoder_.position();
    encoder_.align(kBodyAlignment);
    body_start_ = encoder_.position();
  }
}

std::vector<std::span<const uint8_t>> OutgoingMessage::pieces() const {
  std::vector<std::span<const uint8_t>> result;
  std::span<const uint8_t> all(bytes);
  size_t done = 0;
  for (const cdr::BorrowedBytes& block : borrowed) {
    result.push_back(all.subspan(done, block.at - done));
    result.push_back(block.bytes);
    done = block.at;
  }
  result.push_back(all.subspan(done));
  return result;
}

std::vector<BlockRange> OutgoingMessage::block_ranges() const {
  std::vector<BlockRange> ranges;
  uint64_t before = 0;  // bytes of the blocks ahead of this one
  for (const cdr::BorrowedBytes& block : borrowed) {
    if (ranges.size() == Framer::kMaxNoticeBlocks) {
      break;  // Receivers reject a longer notice, so the rest go inside the message.
    }
    ranges.push_back({block.at + before, block.bytes.size()});
    before += block.bytes.size();
  }
  return ranges;
}

std::vector<uint8_t> MessageWriter::finish() {
  OutgoingMessage message = finish_borrowing();
  if (message.borrowed.empty()) {
    return std::move(message.bytes);
  }
  return cdr::join_borrowed(message.bytes, message.borrowed);
}

OutgoingMessage MessageWriter::finish_borrowing() {
  size_t total = encoder_.size();
  OutgoingMessage message;
  message.borrowed = encoder_.borrowed();
  message.kept = encoder_.take_kept();
  message.bytes = encoder_.take_buffer();
  if (body_start_ != 0 && total == body_start_) {
    message.bytes.resize(header_end_);
    total = header_end_;
  }
  size_t body_size = total - kHeaderSize;
  if (body_size > UINT32_MAX) {
    throw MARSHAL(minor::kMessageTooLarge, CompletionStatus::no,
                  "encode GIOP " + std::string(to_string(header_.type)) + ": body of " +
                      std::to_string(body_size) + " bytes exceeds the 4294967295 that GIOP allows");
  }
  header_.body_size = static_cast<uint32_t>(body_size);
  std::array<uint8_t, kHeaderSize> head = encode_header(header_);
  std::copy(head.begin(), head.end(), message.bytes.begin());
  return message;
}

// ---------------------------------------------------------------------------
// Whole-message encoders

MessageWriter encode_request(Version version, cdr::ByteOrder order, const RequestHeader& header) {
  MessageWriter writer(version, order, MessageType::Request);
  encode(writer.encoder(), version, header);
  writer.begin_body();
  return writer;
}

MessageWriter encode_reply(Version version, cdr::ByteOrder order, const ReplyHeader& header) {
  MessageWriter writer(version, order, MessageType::Reply);
  encode(writer.encoder(), version, header);
  writer.begin_body();
  return writer;
}

MessageWriter encode_locate_reply(Version version, cdr::ByteOrder order,
                                  const LocateReplyHeader& header) {
  // Not padded to 8: omniORB 4.2 reads a GIOP 1.2 LocateReply's body right
  // after its header, and a padded forward failed there with MARSHAL.
  MessageWriter writer(version, order, MessageType::LocateReply);
  encode(writer.encoder(), version, header);
  return writer;
}

MessageWriter encode_fragment(Version version, cdr::ByteOrder order, const FragmentHeader& header) {
  MessageWriter writer(version, order, MessageType::Fragment);
  if (version >= kGiop12) {
    encode(writer.encoder(), version, header);
  }
  return writer;
}

std::vector<uint8_t> encode_cancel_request(Version version, cdr::ByteOrder order,
                                           const CancelRequestHeader& header) {
  MessageWriter writer(version, order, MessageType::CancelRequest);
  encode(writer.encoder(), version, header);
  return writer.finish();
}

std::vector<uint8_t> encode_locate_request(Version version, cdr::ByteOrder order,
                                           const LocateRequestHeader& header) {
  MessageWriter writer(version, order, MessageType::LocateRequest);
  encode(writer.encoder(), version, header);
  return writer.finish();
}

std::vector<uint8_t> encode_close_connection(Version version, cdr::ByteOrder order) {
  return MessageWriter(version, order, MessageType::CloseConnection).finish();
}

std::vector<uint8_t> encode_message_error(Version version, cdr::ByteOrder order) {
  return MessageWriter(version, order, MessageType::MessageError).finish();
}

// ---------------------------------------------------------------------------
// MessageReader

MessageReader::MessageReader(std::span<const uint8_t> message)
    : header_(decode_header(message)),
      decoder_(message.subspan(kHeaderSize), header_.byte_order, kHeaderSize) {
  check_size();
}

MessageReader::MessageReader(Message& message, bool take_blocks)
    : header_(decode_header(message.bytes)),
      decoder_(std::span<const uint8_t>(message.bytes).subspan(kHeaderSize), header_.byte_order,
               kHeaderSize) {
  if (!message.detached.empty()) {
    decoder_.attach_detached(message.bytes, kHeaderSize, message.detached, take_blocks);
  }
  check_size();
}

void MessageReader::check_size() {
  decoder_.set_giop_minor(header_.version.minor);
  if (decoder_.remaining() != header_.body_size) {
    throw cdr::DecodeError(minor::kBadMessageSize, kSizeFieldOffset, "GIOP message size",
                           "the header announces " + std::to_string(header_.body_size) +
                               " body bytes but " + std::to_string(decoder_.remaining()) +
                               " follow it");
  }
}

void MessageReader::expect_type(MessageType type) const {
  if (header_.type != type) {
    throw BAD_PARAM(minor::kWrongMessageType, CompletionStatus::no,
                    "read " + std::string(to_string(type)) + " header: the message is a " +
                        std::string(to_string(header_.type)));
  }
}

// A GIOP 1.2 body starts at a multiple of 8, but a message with no body may
// end right after its header without the padding.
void MessageReader::begin_body() {
  if (header_.version >= kGiop12 && !decoder_.at_end()) {
    decoder_.align(kBodyAlignment, "body alignment padding");
  }
}

RequestHeader MessageReader::read_request_header() {
  expect_type(MessageType::Request);
  RequestHeader header;
  decode(decoder_, header_.version, header);
  begin_body();
  return header;
}

ReplyHeader MessageReader::read_reply_header() {
  expect_type(MessageType::Reply);
  ReplyHeader header;
  decode(decoder_, header_.version, header);
  begin_body();
  return header;
}

CancelRequestHeader MessageReader::read_cancel_request_header() {
  expect_type(MessageType::CancelRequest);
  CancelRequestHeader header;
  decode(decoder_, header_.version, header);
  return header;
}

LocateRequestHeader MessageReader::read_locate_request_header() {
  expect_type(MessageType::LocateRequest);
  LocateRequestHeader header;
  decode(decoder_, header_.version, header);
  return header;
}

LocateReplyHeader MessageReader::read_locate_reply_header() {
  expect_type(MessageType::LocateReply);
  LocateReplyHeader header;
  decode(decoder_, header_.version, header);
  // A body may follow unpadded (as this ORB writes it) or padded
  // to 8. Its first ulong, the length of an IOR's type id or of an
  // exception's repository id, is never 0, so zeros up to the next
  // multiple of 8 with more bytes after them are padding.
  size_t padding = (kBodyAlignment - decoder_.position() % kBodyAlignment) % kBodyAlignment;
  if (header_.version >= kGiop12 && padding != 0 && decoder_.remaining() > padding &&
      decoder_.next_bytes_are_zero(padding)) {
    decoder_.align(kBodyAlignment, "body alignment padding");
  }
  return header;
}

FragmentHeader MessageReader::read_fragment_header() {
  expect_type(MessageType::Fragment);
  FragmentHeader header;
  decode(decoder_, header_.version, header);
  return header;
}

}  // namespace orb::giop
