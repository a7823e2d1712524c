// SpinTicket: the process-wide budget of threads that may busy-wait. A
// waiter that spins keeps its CPU awake and sees its peer's answer at
// once, which on virtual machines saves the tens of microseconds of waking
// a halted CPU; but spinners that outnumber the CPUs only delay the
// threads they wait for. So at most one thread fewer than there are CPUs
// spins at a time, across the TCP and shared-memory transports.
#pragma once

#include <chrono>

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

}  // namespace orb::detail
