// ClientConnection: one connection from this ORB to a server, over TCP or
// shared memory (a ByteStream), shared by every reference to that endpoint. Many calls may be in
// flight at once, matched to their replies by request id. There is no reader thread: the first
// caller that waits reads the socket on its own thread and hands other callers their replies, then
// passes the reader role on, so a call alone on its connection costs one write and one read on the
// caller's thread and no thread switch.
#pragma once

#include <orb/giop/framer.hpp>
#include <orb/giop/messages.hpp>
#include <orb/transport/byte_stream.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace orb::detail {

using Clock = std::chrono::steady_clock;

class ClientConnection : public std::enable_shared_from_this<ClientConnection> {
 public:
  /// Takes over a connected stream to `peer` ("host:port" or a socket path).
  ClientConnection(std::unique_ptr<ByteStream> stream, std::string peer, size_t max_message_size);
  ~ClientConnection();
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;

  /// The peer, for messages and logs.
  const std::string& peer() const noexcept { return peer_; }
  /// "tcp" or "shm".
  const char* transport() const noexcept { return stream_->transport(); }
  uint32_t next_request_id();
  /// True after the connection failed or was closed; the cache then drops it.
  bool closed() const;
  /// False when the connection is closed, or when it is idle and the peer
  /// has closed it or sent something unasked (such as CloseConnection), so
  /// a new call must not be written into it. Such a connection is closed.
  /// Within 100 µs of the last reply it does not ask the stream.
  bool usable();
  /// True until the first reply arrives. Until then every request carries
  /// the CodeSets context, so a request that overtakes the first one on the
  /// wire still names its code sets.
  bool needs_code_sets_context() const;

  /// Sends a complete request and waits for the reply with `request_id`
  /// until `deadline`. Raises COMM_FAILURE (COMPLETED_MAYBE) when the
  /// connection fails after the request was written, TRANSIENT when it
  /// fails before, and TIMEOUT when the deadline passes; on a timeout a
  /// CancelRequest is sent.
  giop::Message call(uint32_t request_id, const giop::OutgoingMessage& request,
                     std::optional<Clock::time_point> deadline);
  /// Sends a request that expects no reply.
  void send_oneway(const giop::OutgoingMessage& request);
  /// Closes the socket; waiting callers get COMM_FAILURE.
  void close(const std::string& reason);

 private:
  struct Pending {
    std::optional<giop::Message> reply;
    std::exception_ptr error;
  };

  void write_all(const giop::OutgoingMessage& message, bool request_sent_before);
  bool read_until(uint32_t request_id, std::unique_lock<std::mutex>& lock,
                  std::optional<Clock::time_point> deadline);
  void deliver(giop::Message message);
  void fail_all(const std::exception_ptr& error);
  void send_cancel(uint32_t request_id);

  std::unique_ptr<ByteStream> stream_;
  std::string peer_;
  giop::Framer framer_;  // used only by the thread holding the reader role

  std::mutex write_mutex_;  // serialises whole messages on the socket

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable changed_;
  std::map<uint32_t, Pending> pending_;
  bool reader_active_ = false;
  bool closed_ = false;
  bool reply_received_ = false;
  Clock::time_point last_reply_;  // when deliver() last handed out a reply
  std::exception_ptr failure_;
  uint32_t next_request_id_ = 1;
};

}  // namespace orb::detail
