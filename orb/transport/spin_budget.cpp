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

}  // namespace

SpinTicket::SpinTicket() noexcept {
  // Read once, because glibc's hardware_concurrency() opens a file in /sys.
  static const unsigned cpus = std::max(2U, std::thread::hardware_concurrency());
  unsigned others = spinning_threads.fetch_add(1, std::memory_order_relaxed);
  granted_ = others + 1 < cpus;
}

SpinTicket::~SpinTicket() {
  spinning_threads.fetch_sub(1, std::memory_order_relaxed);
}

ssize_t receive_spinning(int fd, std::span<uint8_t> buffer,
                         std::chrono::steady_clock::time_point until) {
  SpinTicket ticket;
  if (!ticket.granted()) {
    errno = EAGAIN;
    return -1;
  }
  while (true) {
    ssize_t count = ::recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
    bool nothing = count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
    if (!nothing) {
      return count;
    }
    if (std::chrono::steady_clock::now() >= until) {
      errno = EAGAIN;
      return -1;
    }
    sched_yield();  // a thread waiting for this CPU, such as the peer, runs first
  }
}

}  // namespace orb::detail
