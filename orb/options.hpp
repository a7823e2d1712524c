// ORB configuration: the -ORB... command-line options, each of which can
// also be set through an ORB_... environment variable (the option name in
// upper case, -ORBCallTimeout as ORB_CALLTIMEOUT). The command line wins.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace orb {

struct OrbOptions {
  /// -ORBListen tcp://HOST:PORT (repeatable; port 0 picks a free one).
  /// Empty means the ORB does not listen, which suits pure clients.
  std::vector<std::string> listen;
  /// -ORBCallTimeout MILLISECONDS: deadline of a synchronous call; 0 waits forever.
  std::chrono::milliseconds call_timeout{30000};
  /// -ORBConnectTimeout MILLISECONDS: deadline of one connection attempt.
  std::chrono::milliseconds connect_timeout{5000};
  /// -ORBMaxMessageSize BYTES: the largest GIOP message accepted or sent.
  size_t max_message_size = 64 * 1024 * 1024;
  /// -ORBMaxConnections N: accepted connections beyond it are closed at once.
  size_t max_connections = 1024;
  /// -ORBMaxRequestsPerConnection N: requests of one connection being
  /// served at once; the server stops reading that connection at the limit.
  size_t max_requests_per_connection = 64;
  /// -ORBThreads N: event-loop threads (accepting, timers) and the most
  /// server threads one shared-memory connection may use. TCP connections
  /// and asynchronous calls take threads from a cache as they need them.
  size_t threads = 4;
  /// -ORBIdleTimeout SECONDS: a server connection with no traffic that long is closed.
  std::chrono::seconds idle_timeout{600};
  /// -ORBInitRef NAME=URL (repeatable).
  std::map<std::string, std::string> initial_references;
  /// -ORBDefaultInitRef URL: resolve_initial_references(NAME) tries URL/NAME.
  std::string default_initial_reference;
  /// -ORBShm on|off|only: use shared memory to reach servers on this host
  /// (on), never (off), or only (only: a server on another host is
  /// unreachable). A listening ORB also offers shared memory unless off.
  std::string shm = "on";
  /// -ORBShmRingSize BYTES: size of each of a connection's two rings, a power of two.
  size_t shm_ring_size = 1024 * 1024;
  /// -ORBShmDirectory PATH: where the server's Unix socket goes (mode 0700);
  /// empty means $XDG_RUNTIME_DIR/orb, else /tmp/orb-UID.
  std::string shm_directory;
  /// -ORBMallocTopPad BYTES: free memory that glibc's malloc keeps at the
  /// top of its heaps (M_TOP_PAD) instead of returning it to the kernel, set
  /// for the whole process when an ORB starts, with blocks up to BYTES (at
  /// most 32 MiB) taken from the heaps instead of mmap (M_MMAP_THRESHOLD).
  /// Without it every call that carries megabytes frees its buffers back to
  /// the kernel and faults fresh zeroed pages in on the next call. 0 leaves
  /// malloc's settings alone.
  size_t malloc_top_pad = 16 * 1024 * 1024;
  /// -ORBSpin on|off: whether a thread that waits for a reply or a request
  /// first busy-waits briefly (up to 250 us) before it blocks. Off gives
  /// the CPU time back to other work at the cost of a wake-up per message
  /// (a TCP null call took about 46 us instead of 10 here). Off applies to
  /// the whole process from the start of the ORB on; on changes nothing.
  bool spin = true;
  /// -ORBLogLevel trace|debug|info|warn|error|off
  std::string log_level = "info";
};

/// Reads -ORB options from `arguments` (removing them and their values)
/// and ORB_ environment variables from `environment` (NAME=VALUE strings).
/// Raises BAD_PARAM naming the option for an unknown -ORB option, a
/// missing value or a value of the wrong form.
OrbOptions parse_options(std::vector<std::string>& arguments,
                         const std::vector<std::string>& environment);

/// The process environment as NAME=VALUE strings.
std::vector<std::string> process_environment();

}  // namespace orb
