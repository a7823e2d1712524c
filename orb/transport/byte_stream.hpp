// ByteStream: the byte pipe under a client connection, so the same GIOP
// connection logic runs over TCP and over shared-memory rings.
#pragma once

#include <orb/detail/function_ref.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

namespace orb::detail {

class ByteStream {
 public:
  using Clock = std::chrono::steady_clock;

  /// Outcome of a read: bytes read, or the deadline passed, or the stream
  /// ended (with the reason in `error`).
  struct ReadResult {
    size_t count = 0;
    bool timed_out = false;
    std::string error;  // empty unless the stream ended
  };

  virtual ~ByteStream() = default;

  /// "tcp" or "shm", for logs and statistics.
  virtual const char* transport() const noexcept = 0;
  /// Writes all of `bytes`. On failure returns the reason and sets
  /// `written` to what went out before it; returns empty on success.
  virtual std::string write_all(std::span<const uint8_t> bytes, size_t& written) = 0;
  /// Writes the pieces in order as one run of bytes, as write_all() does;
  /// `written` counts the bytes of every piece that went out.
  virtual std::string write_pieces(std::span<const std::span<const uint8_t>> pieces,
                                   size_t& written) {
    written = 0;
    for (std::span<const uint8_t> piece : pieces) {
      size_t done = 0;
      std::string error = write_all(piece, done);
      written += done;
      if (!error.empty()) {
        return error;
      }
    }
    return {};
  }
  /// Waits until some bytes arrive or the deadline passes, then reads them.
  virtual ReadResult read_some(std::span<uint8_t> buffer,
                               std::optional<Clock::time_point> deadline) = 0;
  /// Like read_some(), but passes what arrived to `sink`. A stream whose
  /// bytes already lie in memory (shared memory) passes them in place;
  /// others read into `scratch` first.
  virtual ReadResult read_into(FunctionRef<void(std::span<const uint8_t>)> sink,
                               std::span<uint8_t> scratch,
                               std::optional<Clock::time_point> deadline) {
    ReadResult read = read_some(scratch, deadline);
    if (read.count > 0) {
      sink(scratch.first(read.count));
    }
    return read;
  }
  /// True when the peer reads block notices (see giop::Framer): a
  /// shared-memory stream to a server of this ORB that announced them.
  virtual bool carries_block_notices() const noexcept { return false; }
  /// True when the peer has closed the stream or sent bytes that nobody
  /// asked for; checked only while no call is in progress.
  virtual bool idle_peer_spoke() = 0;
  /// Ends both directions; a blocked read returns with an error soon after.
  virtual void shutdown() = 0;
};

/// Sends the pieces in order over the socket `fd` with sendmsg(), adding
/// to `written` what went out. On EAGAIN it retries when `when_full()`
/// returns true. Returns 0, or the errno of the send that failed.
int send_pieces(int fd, std::span<const std::span<const uint8_t>> pieces, size_t& written,
                FunctionRef<bool()> when_full);

/// Connects over TCP; raises TRANSIENT when no address of `host` accepts
/// before the timeout.
std::unique_ptr<ByteStream> connect_tcp(const std::string& host, uint16_t port,
                                        std::chrono::milliseconds timeout);

}  // namespace orb::detail
