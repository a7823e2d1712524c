// The framer cuts the byte stream of one connection into whole GIOP
// messages. It checks each 12-byte header as soon as it is complete, before
// it buffers any of the body, enforces the maximum message size, and joins
// fragmented messages (GIOP 1.1 and 1.2) back into one message. It does no
// I/O: the transport feeds it what it reads and takes messages out.
#pragma once

#include <orb/cdr/decoder.hpp>
#include <orb/exception.hpp>
#include <orb/giop/header.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace orb::giop {

/// One complete GIOP message. A message that arrived in fragments is
/// returned joined: the first fragment's header and body, then the data of
/// every Fragment. Its more-fragments flag is clear, and its size field (in
/// `header` and in `bytes`) covers the whole joined body.
struct Message {
  Header header;
  /// The whole message, its 12-byte header included, except the bytes of
  /// `detached`.
  std::vector<uint8_t> bytes;
  /// Large byte blocks that the sender announced in a block notice and
  /// that were received apart from `bytes`. A MessageReader over the
  /// message hands them to the decoder. Empty on TCP.
  std::vector<cdr::DetachedBlock> detached;

  std::span<const uint8_t> body() const noexcept {
    return std::span<const uint8_t>(bytes).subspan(kHeaderSize);
  }
};

/// True for the messages a server answers with an upcall: Request and LocateRequest.
inline bool is_request(const Message& message) noexcept {
  return message.header.type == MessageType::Request ||
         message.header.type == MessageType::LocateRequest;
}

/// Counts the requests among `messages`.
inline size_t count_requests(std::span<const Message> messages) noexcept {
  size_t requests = 0;
  for (const Message& message : messages) {
    requests += is_request(message) ? 1 : 0;
  }
  return requests;
}

/// Offset (in the whole message, header included) and size of a large block.
struct BlockRange {
  uint64_t offset = 0;
  uint64_t size = 0;
};

/// Encodes a block notice for the next message (see Framer). With no
/// ranges, the notice only announces that its sender reads notices.
std::vector<uint8_t> encode_block_notice(std::span<const BlockRange> blocks);

/// Splits a connection's byte stream into messages and reassembles
/// fragments. A GIOP 1.1 Fragment continues the one fragmented 1.1 message
/// in progress. A GIOP 1.2 Fragment names its message by request id, so
/// several 1.2 messages may be in reassembly at once.
///
/// Every violation raises MARSHAL, after which the stream cannot be
/// resynchronised: the caller sends MessageError and closes the connection.
/// A later feed() raises the same exception again. Not thread-safe; one
/// connection's reader owns it.
class Framer {
 public:
  /// Default limit on the messages in reassembly at once.
  static constexpr size_t kDefaultMaxPartialMessages = 64;

  /// `max_message_size` bounds every message and every reassembled
  /// message, header included. It is capped at 12 + 2^32 - 1 bytes, the
  /// most a GIOP size field can describe. `max_partial_messages` bounds how
  /// many fragmented messages may await fragments at once, so partial
  /// messages hold at most max_partial_messages * max_message_size bytes.
  explicit Framer(size_t max_message_size,
                  size_t max_partial_messages = kDefaultMaxPartialMessages);

  /// Appends bytes read from the transport and cuts out every message they
  /// complete. Raises MARSHAL: from the header checks of decode_header(),
  /// kMessageTooLarge for a message or reassembled message above the
  /// maximum, kBadFragment for a fragment that continues nothing or does not
  /// fit its message, kTooManyFragmentedMessages past the partial limit.
  void feed(std::span<const uint8_t> bytes);

  /// Takes the oldest complete message, if any.
  std::optional<Message> next();

  // Block notices pass only between two processes of this ORB on one host
  // (the shared-memory transport), so they use the host's byte order. A
  // notice is a 12-byte header, the magic "ORBK", a count N and four zero
  // bytes, then N pairs of 64-bit offset and size: the byte ranges of the
  // next message that are large blocks. Those bytes go to
  // Message::detached instead of Message::bytes. A notice with no pairs
  // only announces that its sender reads notices too.

  /// Lets the stream carry block notices; without this call the magic
  /// "ORBK" is a framing error like any other.
  void accept_block_notices() noexcept { notices_accepted_ = true; }
  /// True once a notice arrived, so the peer reads notices too.
  bool peer_sent_notice() const noexcept { return notice_seen_; }
  /// The maximum number of pairs in one notice.
  static constexpr size_t kMaxNoticeBlocks = 64;

  /// Fragmented messages that still await fragments.
  size_t partial_messages() const noexcept { return partial_12_.size() + (partial_11_ ? 1 : 0); }
  size_t max_message_size() const noexcept { return max_message_size_; }

 private:
  std::span<const uint8_t> read_header(std::span<const uint8_t> bytes);
  std::span<const uint8_t> read_body(std::span<const uint8_t> bytes);
  std::span<const uint8_t> read_notice(std::span<const uint8_t> bytes);
  void start_notice();
  void start_message(const Header& header);
  /// Moves the last notice's blocks into `message` and returns their total size.
  uint64_t detach_announced_blocks(Message& message);
  void dispatch(Message message);
  void start_fragmented(Message message);
  void continue_fragmented(Message fragment);
  Message& find_partial(const Message& fragment, uint32_t request_id);
  void append_fragment(Message& partial, const Message& fragment, size_t data_offset);
  void drop_cancelled(const Message& cancel);

  size_t max_message_size_;
  size_t max_partial_messages_;

  std::array<uint8_t, kHeaderSize> header_bytes_{};
  size_t header_filled_ = 0;
  std::optional<Message> current_;   // message whose body is being read
  size_t received_ = 0;              // bytes of current_ so far, detached ones included
  size_t next_block_ = 0;            // index in current_->detached of the next block to fill
  std::vector<size_t> block_sizes_;  // the size of each of current_'s blocks
  size_t buffer_size_ = 0;           // the size of current_->bytes when complete

  bool notices_accepted_ = false;
  bool notice_seen_ = false;
  std::vector<uint8_t> notice_;  // the pairs of the notice being read
  size_t notice_missing_ = 0;    // bytes of those pairs still to come
  // Offset and size of each block that the last notice announced.
  std::vector<BlockRange> announced_;
  std::deque<Message> ready_;

  std::optional<Message> partial_11_;       // the fragmented GIOP 1.1 message, if any
  std::map<uint32_t, Message> partial_12_;  // fragmented GIOP 1.2 messages by request id
  std::unique_ptr<SystemException> failure_;
};

}  // namespace orb::giop
