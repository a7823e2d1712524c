// Fuzz target for the GIOP framer and message decoders. The first input
// byte seeds the sizes of the pieces in which the rest is fed to a Framer,
// as a transport's reads would split it, and its top bit makes the framer
// accept block notices. Every message the framer yields must be
// self-consistent, and its headers are decoded. A decoded header must
// encode and decode back to itself. A Request or Reply body is also walked
// twice, once with its detached blocks and once with them joined back in
// place, and both walks must read the same values and fail the same way.
// MARSHAL and other system exceptions are expected outcomes for hostile
// input; anything else, or a broken invariant, aborts.
#include <orb/any/any.hpp>
#include <orb/cdr/codec.hpp>
#include <orb/giop/framer.hpp>
#include <orb/giop/messages.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
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

// Checks where the framer put the detached blocks and returns the whole
// message with each block back in place.
std::vector<uint8_t> join_blocks(const orb::giop::Message& message) {
  std::vector<uint8_t> whole;
  size_t done = 0;  // index in message.bytes up to which bytes are copied
  for (const orb::cdr::DetachedBlock& block : message.detached) {
    require(!block.bytes.empty());
    require(block.at >= std::max(done, orb::giop::kHeaderSize));
    require(block.at <= message.bytes.size());
    whole.insert(whole.end(), message.bytes.begin() + static_cast<std::ptrdiff_t>(done),
                 message.bytes.begin() + static_cast<std::ptrdiff_t>(block.at));
    require(block.offset == whole.size());
    whole.insert(whole.end(), block.bytes.begin(), block.bytes.end());
    done = block.at;
  }
  whole.insert(whole.end(), message.bytes.begin() + static_cast<std::ptrdiff_t>(done),
               message.bytes.end());
  return whole;
}

// Reads one item that `selector` picks and appends its value to `log`.
void read_item(orb::cdr::Decoder& decoder, uint32_t selector, std::string& log) {
  switch (selector % 10) {
    case 0: {
      std::vector<uint8_t> octets = orb::cdr::decode<std::vector<uint8_t>>(decoder);
      log.append(octets.begin(), octets.end());
      break;
    }
    case 1:
      log += std::to_string(decoder.read_ulong());
      break;
    case 2:
      log += decoder.read_string();
      break;
    case 3: {
      std::span<const uint8_t> octets = decoder.read_octets(3);
      log.append(octets.begin(), octets.end());
      break;
    }
    case 4: {
      std::vector<char> chars = orb::cdr::decode<std::vector<char>>(decoder);
      log.append(chars.begin(), chars.end());
      break;
    }
    case 5: {
      orb::cdr::Decoder inner = decoder.read_encapsulation();
      log += inner.read_string();
      log += '/' + std::to_string(inner.absolute_position());
      break;
    }
    case 6:
      log += std::to_string(decoder.read_ulonglong());
      break;
    case 7: {
      orb::Any any;
      any.decode(decoder);
      orb::cdr::Encoder encoder;
      any.encode(encoder);
      std::vector<uint8_t> bytes = encoder.take_bytes();
      log.append(bytes.begin(), bytes.end());
      break;
    }
    case 8: {
      std::array<uint8_t, 16> octets{};
      orb::cdr::Codec<std::array<uint8_t, 16>>::decode(decoder, octets);
      log.append(octets.begin(), octets.end());
      break;
    }
    default:
      log += std::to_string(decoder.read_octet());
      break;
  }
}

// Reads the message header, then up to 32 items that `state` picks, and
// returns what it read, where it ended, and how it failed.
std::string walk_body(MessageReader& reader, uint32_t state) {
  std::string log;
  try {
    if (reader.header().type == MessageType::Request) {
      log += reader.read_request_header().operation;
    } else {
      log += std::to_string(reader.read_reply_header().request_id);
    }
    orb::cdr::Decoder& decoder = reader.decoder();
    for (int item = 0; item < 32 && !decoder.at_end(); ++item) {
      state = state * 1103515245U + 12345U;
      read_item(decoder, state >> 16, log);
      log += '@' + std::to_string(decoder.absolute_position()) + ';';
    }
  } catch (const orb::SystemException& error) {
    log += '!';
    log += error.what();
  }
  return log;
}

void decode_message(orb::giop::Message& message, uint32_t seed) {
  // Invariants of every message the framer yields.
  size_t detached_bytes = 0;
  for (const orb::cdr::DetachedBlock& block : message.detached) {
    detached_bytes += block.bytes.size();
  }
  require(message.bytes.size() + detached_bytes ==
          orb::giop::kHeaderSize + message.header.body_size);
  require(message.bytes.size() + detached_bytes <= kMaxMessageSize);
  require(!message.header.more_fragments);
  require(message.header.type != MessageType::Fragment);
  require(orb::giop::decode_header(message.bytes) == message.header);
  require(message.detached.empty() || message.header.type == MessageType::Request ||
          message.header.type == MessageType::Reply);
  std::vector<uint8_t> whole = join_blocks(message);

  if (message.header.type == MessageType::Request || message.header.type == MessageType::Reply) {
    orb::giop::Message walked = message;
    MessageReader apart(walked);
    MessageReader joined(whole);
    require(walk_body(apart, seed) == walk_body(joined, seed));
  }

  MessageReader reader(message);
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
  if ((data[0] & 0x80) != 0) {
    framer.accept_block_notices();
  }

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
        decode_message(*message, data[0]);
      } catch (const orb::SystemException&) {
        // A malformed header: the server would reply with MessageError.
      }
    }
  }
  return 0;
}
