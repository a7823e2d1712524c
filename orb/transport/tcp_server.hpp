// TcpServer: the listening side of IIOP. It accepts connections on the
// ORB's event loop, cuts each byte stream into GIOP messages, and hands
// every Request and LocateRequest to a RequestHandler on the thread that
// read it. That thread first gives up the connection's reader role, so a
// request arriving during a slow upcall is read by another thread
// (leader/followers without a queue). A malformed message gets a
// MessageError, the reason is logged with the peer address, and only that
// connection is closed.
#pragma once

#include <orb/giop/framer.hpp>
#include <orb/giop/messages.hpp>
#include <orb/transport/event_loop.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace orb::detail {

/// What a server connection keeps for the request handler from one
/// request to the next. Requests of one connection may run on several
/// threads at once, hence the atomic.
struct ServerConnectionState {
  explicit ServerConnectionState(std::string peer_address) : peer(std::move(peer_address)) {}

  /// The client's address, for messages and logs.
  const std::string peer;
  /// The char transmission code set id of the client's CodeSets service
  /// context; 0 until one arrives.
  std::atomic<uint32_t> char_code_set{0};
  /// Set once a LocateRequest got the OBJECT_FORWARD that gives a client
  /// the code sets. Later ones get OBJECT_HERE, so a client that locates
  /// every reference it is given cannot be forwarded in a loop.
  std::atomic<bool> code_sets_forwarded{false};
};

/// What the server layer made of one request.
struct HandledRequest {
  /// The reply message; empty for a oneway request.
  giop::OutgoingMessage reply;
  /// Set when the servant asked to learn that the reply was not delivered.
  /// The transport runs it when the connection is closed before the reply
  /// is written, or when the write fails.
  std::function<void()> on_reply_lost;
};

/// What the server layer does with one request.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  /// Handles a Request or LocateRequest that arrived on `connection` and
  /// returns the reply message (none for a oneway request). Decoding may
  /// take the message's detached blocks. Must not throw.
  virtual HandledRequest handle(giop::Message& message, ServerConnectionState& connection) = 0;
};

struct TcpServerLimits {
  size_t max_message_size = 64 * 1024 * 1024;
  size_t max_connections = 1024;
  /// Requests of one connection in their upcalls at once; reading that
  /// connection pauses at the limit, which pushes back on the client.
  size_t max_requests_per_connection = 64;
  /// A connection with no traffic and no request in progress this long is
  /// closed with CloseConnection.
  std::chrono::seconds idle_timeout{600};
};

/// A bound listen endpoint as it goes into IORs.
struct ListenAddress {
  std::string host;
  uint16_t port = 0;
};

class TcpServer {
 public:
  TcpServer(EventLoop& loop, RequestHandler& handler, TcpServerLimits limits);
  ~TcpServer();
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  /// Binds and starts accepting on "tcp://HOST:PORT" (an IPv6 host in
  /// brackets; port 0 picks a free port). Raises BAD_PARAM for a malformed
  /// endpoint and TRANSIENT when the address cannot be bound.
  ListenAddress listen(std::string_view endpoint);
  /// Stops accepting, sends CloseConnection on every connection and closes them.
  void close();
  /// After close(): waits until every upcall in progress has returned and
  /// every server thread has ended. Called from an upcall, it waits for all
  /// the others.
  void wait();
  size_t connection_count() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace orb::detail
