// SpinTicket: the process-wide budget of threads that may busy-wait. A
// waiter that spins keeps its CPU awake and gets its peer's reply at once,
// which on virtual machines saves the tens of microseconds of waking a
// halted CPU. Spinners that outnumber the CPUs only delay the threads they
// wait for, so at most one thread fewer than there are CPUs spins at a
// time, across the TCP and shared-memory transports.
#pragma once

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

/// Calls recv(fd, MSG_DONTWAIT) until bytes, end of stream or an error
/// arrive, or until `until`, yielding the CPU between tries. Makes no try
/// when the spin budget is spent. Returns what the last recv() returned,
/// or -1 with errno EAGAIN when nothing came.
ssize_t receive_spinning(int fd, std::span<uint8_t> buffer,
                         std::chrono::steady_clock::time_point until);

}  // namespace orb::detail
