// SpinTicket: the process-wide budget of threads that may busy-wait. A
// waiter that spins keeps its CPU awake and gets its peer's reply at once,
// which on virtual machines saves the tens of microseconds of waking a
// halted CPU. Spinners that outnumber the CPUs only delay the threads they
// wait for, so at most one thread fewer than there are CPUs spins at a
// time, across the TCP and shared-memory transports.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <span>

#include <sys/types.h>

namespace orb::detail {

/// How long a waiter spins before it blocks.
inline constexpr std::chrono::microseconds kSpinTime{50};

class SpinTicket {
 public:
  SpinTicket() noexcept;
  ~SpinTicket();
  SpinTicket(const SpinTicket&) = delete;
  SpinTicket& operator=(const SpinTicket&) = delete;

  /// True when this thread may spin now.
  bool granted() const noexcept { return granted_; }

 private:
  bool granted_;
};

/// Stops every thread of the process from spinning from now on (-ORBSpin off).
void forbid_spinning() noexcept;

/// The upper bound of a spin that lengthens for a slow peer (see SpinHistory).
inline constexpr std::chrono::microseconds kLongestSpin{250};

/// Recent wait times of one connection, from which the next wait's spin is
/// chosen. Spinning pays for a peer that replies within a few hundred
/// microseconds (a server that syncs a disk before replying takes about a
/// hundred here), because a halted CPU takes tens of microseconds to wake.
/// It does not pay for a slower peer, nor for a peer on this thread's own
/// CPU: perf sched showed a spinner keeping its CPU for 30 us despite its
/// yields while the peer waited to run there. Threads may share a history
/// because a lost update only shifts the next spin.
class SpinHistory {
 public:
  using Clock = std::chrono::steady_clock;

  /// Returns how long the next wait should spin before it blocks, zero for
  /// not at all.
  Clock::duration next_spin() const noexcept;
  /// Records a wait that ended after `waited`.
  void record_wait(Clock::duration waited) noexcept;
  /// Records a wait on the socket `fd` that ended with bytes after
  /// `waited`, and now and then reads on which CPU the peer sent them.
  void record_wait(int fd, Clock::duration waited) noexcept;

 private:
  std::atomic<int64_t> typical_wait_ns_{0};
  std::atomic<bool> peer_on_this_cpu_{false};
  std::atomic<uint8_t> waits_since_cpu_check_{0};
};

/// Calls recv(fd, MSG_DONTWAIT) until bytes, end of stream or an error
/// arrive, for the spin that `history` advises from `start` on (cut at
/// `limit`), yielding the CPU between tries. Makes no try when the spin
/// budget is spent. Returns what the last recv() returned, or -1 with
/// errno EAGAIN when nothing came. A caller that then blocks and receives
/// bytes records that wait with history.record_wait().
ssize_t receive_spinning(int fd, std::span<uint8_t> buffer, SpinHistory::Clock::time_point start,
                         SpinHistory::Clock::time_point limit, SpinHistory& history);

}  // namespace orb::detail
