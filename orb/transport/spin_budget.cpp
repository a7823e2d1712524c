// SpinTicket: one counter of spinning threads for the whole process.
#include <orb/transport/spin_budget.hpp>

#include <algorithm>
#include <atomic>
#include <thread>

namespace orb::detail {
namespace {

std::atomic<unsigned> spinning_threads{0};

}  // namespace

SpinTicket::SpinTicket() noexcept {
  // Read once: glibc answers hardware_concurrency() by opening a file in /sys.
  static const unsigned cpus = std::max(2U, std::thread::hardware_concurrency());
  unsigned others = spinning_threads.fetch_add(1, std::memory_order_relaxed);
  granted_ = others + 1 < cpus;
}

SpinTicket::~SpinTicket() {
  spinning_threads.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace orb::detail
