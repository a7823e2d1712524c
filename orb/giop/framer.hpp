// The framer cuts the byte stream of one connection into whole GIOP
// messages. It checks each 12-byte header as soon as it is complete, before
// it buffers any of the body, enforces the maximum message size, and joins
// fragmented messages (GIOP 1.1 and 1.2) back into one message. It does no
// I/O: the transport feeds it what it reads and takes messages out.
#pragma once

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
  /// The whole message, its 12-byte header included.
  std::vector<uint8_t> bytes;

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

  /// Fragmented messages that still await fragments.
  size_t partial_messages() const noexcept { return partial_12_.size() + (partial_11_ ? 1 : 0); }
  size_t max_message_size() const noexcept { return max_message_size_; }

 private:
  std::span<const uint8_t> read_header(std::span<const uint8_t> bytes);
  std::span<const uint8_t> read_body(std::span<const uint8_t> bytes);
  void start_message(const Header& header);
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
  std::optional<Message> current_;  // message whose body is being read
  std::deque<Message> ready_;

  std::optional<Message> partial_11_;       // the fragmented GIOP 1.1 message, if any
  std::map<uint32_t, Message> partial_12_;  // fragmented GIOP 1.2 messages by request id
  std::unique_ptr<SystemException> failure_;
};

}  // namespace orb::giop
