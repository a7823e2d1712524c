// The shared-memory transport for peers on one host. A server listens on a
// Unix domain socket in a directory only its user may enter (mode 0700).
// For each client that connects it creates two rings (client to server and
// server to client), passes their memfds over the socket with SCM_RIGHTS,
// and from then on GIOP messages flow through the rings. The socket stays
// open: its end tells either side that the other died.
#pragma once

#include <orb/transport/byte_stream.hpp>
#include <orb/transport/tcp_server.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace orb::detail {

/// The running kernel's boot id, which tells whether two processes share a
/// host; empty when it cannot be read.
const std::string& host_identity();

/// $XDG_RUNTIME_DIR/orb when that variable is set, else /tmp/orb-UID.
std::string default_shm_directory();

/// Connects to a server's shared-memory socket and maps the rings it
/// sends. Raises TRANSIENT when the socket refuses or the handshake fails.
std::unique_ptr<ByteStream> connect_shm(const std::string& socket_path,
                                        std::chrono::milliseconds timeout);

struct ShmServerLimits {
  std::string directory;
  size_t ring_size = 1024 * 1024;
  size_t max_message_size = 64 * 1024 * 1024;
  size_t max_connections = 1024;
  /// Threads that serve one connection, which is also how many of its
  /// requests run at once (-ORBMaxRequestsPerConnection, as over TCP).
  /// They start as requests overlap and end again after a while idle.
  size_t threads_per_connection = 64;
};

/// Accepts shared-memory clients on one thread and serves each with a few
/// threads of its own: one reads the request ring while the others run
/// upcalls and write replies (leader/followers).
class ShmServer {
 public:
  ShmServer(RequestHandler& handler, ShmServerLimits limits);
  ~ShmServer();
  ShmServer(const ShmServer&) = delete;
  ShmServer& operator=(const ShmServer&) = delete;

  /// Creates the directory (mode 0700) and the listening socket NAME.sock
  /// in it, replacing a stale one, and starts accepting; returns the
  /// socket's path. Naming it after the TCP endpoint keeps the path, and
  /// so persistent references, valid across a restart on the same port.
  /// Raises NO_RESOURCES on failure.
  std::string listen(const std::string& name);
  /// Stops accepting, ends every connection and removes the socket file.
  void close();
  size_t connection_count() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace orb::detail
