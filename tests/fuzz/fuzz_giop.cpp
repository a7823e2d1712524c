// Fuzz target for the GIOP framer and message decoders. The first input
// byte seeds the sizes of the pieces in which the rest is fed to a Framer,
// as a transport's reads would split it. Every message the framer yields
// must be self-consistent, and its headers are decoded. A decoded header
// must encode and decode back to itself. MARSHAL and other system
// exceptions are expected outcomes for hostile input; anything else, or a
// broken invariant, aborts.
#include <orb/giop/framer.hpp>
#include <orb/giop/messages.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

namespace {

using orb::cdr::ByteOrder;
using orb::giop::MessageReader;
using orb::giop::MessageType;
using orb::giop::Version;

constexpr size_t kMaxMessageSize = 64 * 1024;
constexpr size_t kMaxPartialMessages = 4;

void require(bool condition) {
  if (!condition) {
    std::abort();
  }
}

// Encodes a decoded `header` again in the message's version and byte order
// and checks that decoding gives it back. A valid header must survive, so
// any exception here is a bug.
template <class Header, class Encode, class Read>
void check_round_trip(const orb::giop::Header& giop_header, const Header& header,
                      Encode&& encode_message, Read&& read_header) {
  try {
    std::vector<uint8_t> bytes =
        encode_message(giop_header.version, giop_header.byte_order, header);
    MessageReader reader(bytes);
    require(read_header(reader) == header);
  } catch (...) {
    std::abort();
  }
}

void decode_reply_body(MessageReader& reader, orb::giop::ReplyStatus status) {
  using orb::giop::ReplyStatus;
  if (status == ReplyStatus::SYSTEM_EXCEPTION) {
    require(orb::giop::decode_system_exception(reader.decoder()) != nullptr);
  } else if (status == ReplyStatus::LOCATION_FORWARD ||
             status == ReplyStatus::LOCATION_FORWARD_PERM) {
    orb::giop::IorData forward;
    orb::giop::decode(reader.decoder(), forward);
  }
}

void decode_locate_reply_body(MessageReader& reader, orb::giop::LocateStatus status) {
  using orb::giop::LocateStatus;
  if (status == LocateStatus::LOC_SYSTEM_EXCEPTION) {
    require(orb::giop::decode_system_exception(reader.decoder()) != nullptr);
  } else if (status == LocateStatus::OBJECT_FORWARD ||
             status == LocateStatus::OBJECT_FORWARD_PERM) {
    orb::giop::IorData forward;
    orb::giop::decode(reader.decoder(), forward);
  }
}

void decode_request(MessageReader& reader) {
  orb::giop::RequestHeader header = reader.read_request_header();
  check_round_trip(
      reader.header(), header,
      [](Version v, ByteOrder o, const auto& x) { return encode_request(v, o, x).finish(); },
      [](MessageReader& r) { return r.read_request_header(); });
}

void decode_reply(MessageReader& reader) {
  orb::giop::ReplyHeader header = reader.read_reply_header();
  decode_reply_body(reader, header.reply_status);
  check_round_trip(
      reader.header(), header,
      [](Version v, ByteOrder o, const auto& x) { return encode_reply(v, o, x).finish(); },
      [](MessageReader& r) { return r.read_reply_header(); });
}

void decode_locate_request(MessageReader& reader) {
  orb::giop::LocateRequestHeader header = reader.read_locate_request_header();
  check_round_trip(
      reader.header(), header,
      [](Version v, ByteOrder o, const auto& x) { return encode_locate_request(v, o, x); },
      [](MessageReader& r) { return r.read_locate_request_header(); });
}

void decode_locate_reply(MessageReader& reader) {
  orb::giop::LocateReplyHeader header = reader.read_locate_reply_header();
  decode_locate_reply_body(reader, header.locate_status);
  check_round_trip(
      reader.header(), header,
      [](Version v, ByteOrder o, const auto& x) { return encode_locate_reply(v, o, x).finish(); },
      [](MessageReader& r) { return r.read_locate_reply_header(); });
}

void decode_message(const orb::giop::Message& message) {
  // Invariants of every message the framer yields.
  require(message.bytes.size() == orb::giop::kHeaderSize + message.header.body_size);
  require(message.bytes.size() <= kMaxMessageSize);
  require(!message.header.more_fragments);
  require(message.header.type != MessageType::Fragment);
  require(orb::giop::decode_header(message.bytes) == message.header);

  MessageReader reader(message.bytes);
  switch (message.header.type) {
    case MessageType::Request:
      decode_request(reader);
      break;
    case MessageType::Reply:
      decode_reply(reader);
      break;
    case MessageType::CancelRequest:
      reader.read_cancel_request_header();
      break;
    case MessageType::LocateRequest:
      decode_locate_request(reader);
      break;
    case MessageType::LocateReply:
      decode_locate_reply(reader);
      break;
    default:
      break;
  }
}

// Piece sizes from a small linear congruential generator, 1 to 64 bytes.
size_t next_piece_size(uint32_t& state) {
  state = state * 1103515245U + 12345U;
  return 1 + (state >> 16) % 64;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  uint32_t state = data[0];
  std::span<const uint8_t> stream(data + 1, size - 1);
  orb::giop::Framer framer(kMaxMessageSize, kMaxPartialMessages);

  while (!stream.empty()) {
    size_t piece = std::min(next_piece_size(state), stream.size());
    try {
      framer.feed(stream.first(piece));
    } catch (const orb::SystemException&) {
      break;  // the connection would be closed here
    }
    stream = stream.subspan(piece);
    while (std::optional<orb::giop::Message> message = framer.next()) {
      try {
        decode_message(*message);
      } catch (const orb::SystemException&) {
        // A malformed header: the server would reply with MessageError.
      }
    }
  }
  return 0;
}
