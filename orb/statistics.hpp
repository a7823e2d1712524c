// Per-ORB counters of how client connections travel.
#pragma once

#include <cstdint>

namespace orb {

/// How this ORB's client connections travel, for tests and diagnostics.
struct TransportStatistics {
  uint64_t tcp_connections = 0;  // opened since the ORB started
  uint64_t shm_connections = 0;
  uint64_t tcp_calls = 0;  // requests sent, two-way and oneway
  uint64_t shm_calls = 0;
  /// Large byte blocks (sequence<octet> of 64 KiB or more) that replies
  /// over shared memory carried apart from the message, so that decoding
  /// took them without a copy.
  uint64_t shm_blocks_received = 0;
};

}  // namespace orb
