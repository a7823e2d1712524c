// SpinTicket: one counter of spinning threads for the whole process.
#include <orb/transport/spin_budget.hpp>

#include <algorithm>
#include <atomic>
#include <thread>

#include <cerrno>

#include <sched.h>
#include <sys/socket.h>

namespace orb::detail {
namespace {

std::atomic<unsigned> spinning_threads{0};
std::atomic<bool> spinning_forbidden{false};

}  // namespace

SpinTicket::SpinTicket() noexcept {
  // Read once, because glibc's hardware_concurrency() opens a file in /sys.
  static const unsigned cpus = std::max(2U, std::thread::hardware_concurrency());
  unsigned others = spinning_threads.fetch_add(1, std::memory_order_relaxed);
  granted_ = others + 1 < cpus && !spinning_forbidden.load(std::memory_order_relaxed);
}

void forbid_spinning() noexcept {
  spinning_forbidden.store(true, std::memory_order_relaxed);
}

SpinTicket::~SpinTicket() {
  spinning_threads.fetch_sub(1, std::memory_order_relaxed);
}

SpinHistory::Clock::duration SpinHistory::next_spin() const noexcept {
  if (peer_on_this_cpu_.load(std::memory_order_relaxed)) {
    return Clock::duration::zero();
  }
  std::chrono::nanoseconds typical{typical_wait_ns_.load(std::memory_order_relaxed)};
  if (typical > kLongestSpin) {
    return Clock::duration::zero();
  }
  return std::clamp<Clock::duration>(2 * typical, kSpinTime, kLongestSpin);
}

void SpinHistory::record_wait(Clock::duration waited) noexcept {
  // A long idle spell counts as 1 ms, so that a few quick replies after it
  // bring spinning back.
  constexpr int64_t kLongestSample = 1'000'000;
  int64_t sample = std::min<int64_t>(
      kLongestSample, std::chrono::duration_cast<std::chrono::nanoseconds>(waited).count());
  int64_t typical = typical_wait_ns_.load(std::memory_order_relaxed);
  typical_wait_ns_.store(typical + (sample - typical) / 4, std::memory_order_relaxed);
}

void SpinHistory::record_wait(int fd, Clock::duration waited) noexcept {
  record_wait(waited);
  // Where the peer runs changes seldom, and reading it costs a system call.
  constexpr uint8_t kWaitsPerCpuCheck = 8;
  uint8_t waits = waits_since_cpu_check_.load(std::memory_order_relaxed);
  if (waits + 1 < kWaitsPerCpuCheck) {
    waits_since_cpu_check_.store(waits + 1, std::memory_order_relaxed);
    return;
  }
  waits_since_cpu_check_.store(0, std::memory_order_relaxed);
  // On loopback the CPU that processed the last bytes received is the
  // sender's; on another host it is this host's and only rarely ours.
  int incoming_cpu = -1;
  socklen_t size = sizeof incoming_cpu;
  if (::getsockopt(fd, SOL_SOCKET, SO_INCOMING_CPU, &incoming_cpu, &size) == 0) {
    peer_on_this_cpu_.store(incoming_cpu == ::sched_getcpu(), std::memory_order_relaxed);
  }
}

ssize_t receive_spinning(int fd, std::span<uint8_t> buffer, SpinHistory::Clock::time_point start,
                         SpinHistory::Clock::time_point limit, SpinHistory& history) {
  SpinHistory::Clock::time_point until = std::min(limit, start + history.next_spin());
  SpinTicket ticket;
  if (until <= start || !ticket.granted()) {
    errno = EAGAIN;
    return -1;
  }
  while (true) {
    ssize_t count = ::recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
    bool nothing = count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
    if (!nothing) {
      if (count > 0) {
        history.record_wait(fd, SpinHistory::Clock::now() - start);
      }
      return count;
    }
    if (SpinHistory::Clock::now() >= until) {
      errno = EAGAIN;
      return -1;
    }
    sched_yield();  // a thread waiting for this CPU, such as the peer, runs first
  }
}

}  // namespace orb::detail
