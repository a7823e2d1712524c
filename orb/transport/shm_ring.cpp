// ShmRing on Linux: memfd_create, mmap and futex. The spin phase matters
// because waking a sleeper on another CPU costs tens of microseconds on
// small virtual machines, more than a whole call through the ring; it is
// bounded, and skipped when other threads of this process already spin on
// every other CPU, since spinners that outnumber the CPUs only delay the
// thread they are waiting for.
#include <orb/transport/shm_ring.hpp>

#include <orb/transport/spin_budget.hpp>

#include <orb/exception.hpp>
#include <orb/minor.hpp>

#include <atomic>
#include <bit>
#include <cerrno>
#include <cstring>
#include <thread>
#include <utility>

#include <linux/futex.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace orb::detail {

struct ShmRing::Header {
  static constexpr uint64_t kMagic = 0x4f5242524e473032;  // "ORBRNG02"
  uint64_t magic;
  uint64_t capacity;
  alignas(64) std::atomic<uint64_t> head;         // bytes written, by the producer
  alignas(64) std::atomic<uint64_t> tail;         // bytes read, by the consumer
  alignas(64) std::atomic<uint32_t> data_signal;  // bumped when data arrives
  std::atomic<uint32_t> consumer_sleeping;
  alignas(64) std::atomic<uint32_t> space_signal;  // bumped when space frees up
  std::atomic<uint32_t> producer_sleeping;
  alignas(64) std::atomic<int32_t> producer_cpu;     // CPU of the producer's last write
  alignas(64) std::atomic<int32_t> consumer_cpu;     // CPU of the consumer's last read
  alignas(64) std::atomic<uint32_t> reader_present;  // a consumer thread reads on
  std::atomic<uint32_t> doorbell;                    // bumped to call another consumer
  std::atomic<uint32_t> doorbell_sleepers;
};

namespace {

constexpr size_t kHeaderBytes = 4096;
static_assert(sizeof(ShmRing::Clock::rep) == 8);
constexpr size_t kMinCapacity = 4096;
constexpr size_t kMaxCapacity = size_t{1} << 30;

void futex_wait(std::atomic<uint32_t>& word, uint32_t expected, std::chrono::nanoseconds timeout) {
  timespec relative{static_cast<time_t>(timeout.count() / 1000000000),
                    static_cast<long>(timeout.count() % 1000000000)};
  ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT, expected, &relative, nullptr,
            0);
}

void futex_wake(std::atomic<uint32_t>& word) {
  ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE, 1, nullptr, nullptr, 0);
}

/// Spins until `ready()` or for `spin_time`; false when not ready.
/// `peer_cpu` is the CPU the other side last ran on. When that is this CPU,
/// the peer can only progress if this thread yields, so it yields at every
/// check, which needs no spin budget since a yielding thread keeps no other
/// thread from running. Otherwise it spins without system calls, when the
/// budget allows.
template <class Ready>
bool spin_until(Ready ready, const std::atomic<int32_t>& peer_cpu,
                std::chrono::steady_clock::duration spin_time) {
  auto until = std::chrono::steady_clock::now() + spin_time;
  while (peer_cpu.load(std::memory_order_relaxed) == sched_getcpu()) {
    sched_yield();
    if (ready()) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= until) {
      return false;
    }
  }
  SpinTicket ticket;
  if (!ticket.granted()) {
    return ready();
  }
  for (int i = 0;; ++i) {
    if (ready()) {
      return true;
    }
    if ((i & 63) == 63) {
      if (std::chrono::steady_clock::now() >= until) {
        return ready();
      }
      if (peer_cpu.load(std::memory_order_relaxed) == sched_getcpu()) {
        sched_yield();
      }
    }
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
  }
}

/// Sleeps on `signal` with `sleeping` raised until `ready()`. Returns false
/// at the deadline or when the peer died.
template <class Ready>
std::optional<bool> sleep_until(Ready ready, std::atomic<uint32_t>& signal,
                                std::atomic<uint32_t>& sleeping,
                                std::optional<ShmRing::Clock::time_point> deadline,
                                const ShmRing::PeerAlive& peer_alive) {
  while (true) {
    uint32_t seen = signal.load(std::memory_order_acquire);
    sleeping.store(1, std::memory_order_seq_cst);
    // Pairs with the fence in wake_if_sleeping(): either this side sees the
    // new data, or the other side sees `sleeping` and wakes it.
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (ready()) {
      sleeping.store(0, std::memory_order_relaxed);
      return true;
    }
    std::chrono::nanoseconds slice = ShmRing::kLivenessInterval;
    if (deadline) {
      auto left = *deadline - ShmRing::Clock::now();
      if (left <= std::chrono::nanoseconds::zero()) {
        sleeping.store(0, std::memory_order_relaxed);
        return false;
      }
      slice = std::min<std::chrono::nanoseconds>(slice, left);
    }
    futex_wait(signal, seen, slice);
    sleeping.store(0, std::memory_order_relaxed);
    if (ready()) {
      return true;
    }
    if (!peer_alive()) {
      return std::nullopt;
    }
  }
}

/// Waits until `ready()` by spinning for as long as `history` advises, then
/// sleeping on `signal` with `sleeping` raised, and records in `history`
/// how long a wait that was not over at once took. Returns false at the
/// deadline or when the peer died.
template <class Ready>
std::optional<bool> wait_for(Ready ready, std::atomic<uint32_t>& signal,
                             std::atomic<uint32_t>& sleeping, const std::atomic<int32_t>& peer_cpu,
                             std::optional<ShmRing::Clock::time_point> deadline,
                             const ShmRing::PeerAlive& peer_alive, SpinHistory& history) {
  if (ready()) {
    return true;
  }
  // A deadline already past is a poll (the idle check before every call):
  // spinning then would cost the whole spin budget for nothing.
  ShmRing::Clock::time_point start = ShmRing::Clock::now();
  if (deadline && *deadline <= start) {
    return false;
  }
  if (spin_until(ready, peer_cpu, history.next_spin())) {
    history.record_wait(ShmRing::Clock::now() - start);
    return true;
  }
  std::optional<bool> result = sleep_until(ready, signal, sleeping, deadline, peer_alive);
  if (result.value_or(false)) {
    history.record_wait(ShmRing::Clock::now() - start);
  }
  return result;
}

/// Stores this thread's CPU in `cpu` unless it is there already, since a
/// store would take the cache line from the peer that reads it.
void note_cpu(std::atomic<int32_t>& cpu) {
  int32_t mine = sched_getcpu();
  if (cpu.load(std::memory_order_relaxed) != mine) {
    cpu.store(mine, std::memory_order_relaxed);
  }
}

void wake_if_sleeping(std::atomic<uint32_t>& signal, std::atomic<uint32_t>& sleeping) {
  signal.fetch_add(1, std::memory_order_seq_cst);
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (sleeping.load(std::memory_order_seq_cst) != 0) {
    futex_wake(signal);
  }
}

}  // namespace

ShmRing::ShmRing(int fd, void* mapping, size_t mapping_size)
    : fd_(fd),
      mapping_(mapping),
      mapping_size_(mapping_size),
      capacity_(mapping_size - kHeaderBytes),
      header_(static_cast<Header*>(mapping)),
      data_(static_cast<uint8_t*>(mapping) + kHeaderBytes) {}

ShmRing ShmRing::create(size_t capacity) {
  if (!std::has_single_bit(capacity) || capacity < kMinCapacity || capacity > kMaxCapacity) {
    throw BAD_PARAM(minor::kBadOption, CompletionStatus::no,
                    "shared-memory ring of " + std::to_string(capacity) +
                        " bytes: the size must be a power of two from 4096 to 2^30");
  }
  int fd = ::memfd_create("orb-ring", MFD_CLOEXEC);
  size_t size = kHeaderBytes + capacity;
  if (fd < 0 || ::ftruncate(fd, static_cast<off_t>(size)) != 0) {
    int error = errno;
    if (fd >= 0) {
      ::close(fd);
    }
    throw NO_RESOURCES(minor::kShmSetupFailed, CompletionStatus::no,
                       std::string("create shared-memory ring: ") + std::strerror(error));
  }
  void* mapping = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (mapping == MAP_FAILED) {
    int error = errno;
    ::close(fd);
    throw NO_RESOURCES(minor::kShmSetupFailed, CompletionStatus::no,
                       std::string("map shared-memory ring: ") + std::strerror(error));
  }
  auto* header = new (mapping) Header{};
  header->magic = Header::kMagic;
  header->capacity = capacity;
  header->reader_present.store(1, std::memory_order_relaxed);
  header->producer_cpu.store(-1, std::memory_order_relaxed);
  header->consumer_cpu.store(-1, std::memory_order_relaxed);
  return ShmRing(fd, mapping, size);
}

ShmRing ShmRing::attach(int fd) {
  struct stat status {};
  if (::fstat(fd, &status) != 0 ||
      status.st_size < static_cast<off_t>(kHeaderBytes + kMinCapacity) ||
      status.st_size > static_cast<off_t>(kHeaderBytes + kMaxCapacity) ||
      !std::has_single_bit(static_cast<size_t>(status.st_size) - kHeaderBytes)) {
    ::close(fd);
    throw MARSHAL(minor::kShmBadRing, CompletionStatus::no,
                  "shared-memory ring from the peer has an invalid size");
  }
  size_t size = static_cast<size_t>(status.st_size);
  void* mapping = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (mapping == MAP_FAILED) {
    ::close(fd);
    throw NO_RESOURCES(minor::kShmSetupFailed, CompletionStatus::no,
                       std::string("map shared-memory ring: ") + std::strerror(errno));
  }
  ShmRing ring(fd, mapping, size);
  if (ring.header_->magic != Header::kMagic || ring.header_->capacity != ring.capacity_) {
    throw MARSHAL(minor::kShmBadRing, CompletionStatus::no,
                  "shared-memory ring from the peer has an invalid header");
  }
  return ring;
}

ShmRing::ShmRing(ShmRing&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      mapping_(std::exchange(other.mapping_, nullptr)),
      mapping_size_(std::exchange(other.mapping_size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)),
      header_(std::exchange(other.header_, nullptr)),
      data_(std::exchange(other.data_, nullptr)) {}

ShmRing& ShmRing::operator=(ShmRing&& other) noexcept {
  if (this != &other) {
    this->~ShmRing();
    new (this) ShmRing(std::move(other));
  }
  return *this;
}

ShmRing::~ShmRing() {
  if (mapping_ != nullptr) {
    ::munmap(mapping_, mapping_size_);
  }
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

bool ShmRing::write(std::span<const uint8_t> bytes, const PeerAlive& peer_alive) {
  const uint64_t mask = capacity_ - 1;
  while (!bytes.empty()) {
    uint64_t head = header_->head.load(std::memory_order_relaxed);
    auto space = [&] { return capacity_ - (head - header_->tail.load(std::memory_order_acquire)); };
    std::optional<bool> ready =
        wait_for([&] { return space() > 0; }, header_->space_signal, header_->producer_sleeping,
                 header_->consumer_cpu, std::nullopt, peer_alive, spin_history_);
    if (!ready.value_or(false)) {
      return false;
    }
    size_t chunk = std::min<uint64_t>(bytes.size(), space());
    size_t offset = head & mask;
    size_t first = std::min(chunk, capacity_ - offset);
    std::memcpy(data_ + offset, bytes.data(), first);
    std::memcpy(data_, bytes.data() + first, chunk - first);
    note_cpu(header_->producer_cpu);
    header_->head.store(head + chunk, std::memory_order_release);
    wake_if_sleeping(header_->data_signal, header_->consumer_sleeping);
    bytes = bytes.subspan(chunk);
  }
  return true;
}

std::optional<size_t> ShmRing::read_some(std::span<uint8_t> buffer,
                                         std::optional<Clock::time_point> deadline,
                                         const PeerAlive& peer_alive) {
  size_t copied = 0;
  auto copy_out = [&](std::span<const uint8_t> bytes) {
    std::memcpy(buffer.data() + copied, bytes.data(), bytes.size());
    copied += bytes.size();
  };
  return read_into(copy_out, buffer.size(), deadline, peer_alive);
}

std::optional<size_t> ShmRing::read_into(FunctionRef<void(std::span<const uint8_t>)> sink,
                                         size_t limit, std::optional<Clock::time_point> deadline,
                                         const PeerAlive& peer_alive) {
  const uint64_t mask = capacity_ - 1;
  uint64_t tail = header_->tail.load(std::memory_order_relaxed);
  auto available = [&] { return header_->head.load(std::memory_order_acquire) - tail; };
  std::optional<bool> ready =
      wait_for([&] { return available() > 0; }, header_->data_signal, header_->consumer_sleeping,
               header_->producer_cpu, deadline, peer_alive, spin_history_);
  if (!ready) {
    return std::nullopt;
  }
  if (!*ready) {
    return 0;
  }
  uint64_t count = available();
  if (count > capacity_) {
    throw MARSHAL(minor::kShmBadRing, CompletionStatus::maybe,
                  "shared-memory ring corrupt: " + std::to_string(count) +
                      " bytes announced in a ring of " + std::to_string(capacity_));
  }
  size_t chunk = std::min<uint64_t>(count, limit);
  size_t offset = tail & mask;
  size_t first = std::min(chunk, capacity_ - offset);
  sink(std::span<const uint8_t>(data_ + offset, first));
  if (chunk > first) {
    sink(std::span<const uint8_t>(data_, chunk - first));
  }
  note_cpu(header_->consumer_cpu);
  header_->tail.store(tail + chunk, std::memory_order_release);
  wake_if_sleeping(header_->space_signal, header_->producer_sleeping);
  return chunk;
}

bool ShmRing::readable() const noexcept {
  return header_->head.load(std::memory_order_acquire) !=
         header_->tail.load(std::memory_order_relaxed);
}

void ShmRing::set_reader_present(bool present) noexcept {
  header_->reader_present.store(present ? 1 : 0, std::memory_order_seq_cst);
  std::atomic_thread_fence(std::memory_order_seq_cst);
}

void ShmRing::call_reader_if_absent() noexcept {
  // Pairs with the fence in set_reader_present(): either the consumer finds
  // the bytes just written, or this side finds that no thread reads on.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (header_->reader_present.load(std::memory_order_seq_cst) == 0) {
    ring_doorbell();
  }
}

void ShmRing::ring_doorbell(bool everyone) noexcept {
  header_->doorbell.fetch_add(1, std::memory_order_seq_cst);
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (header_->doorbell_sleepers.load(std::memory_order_seq_cst) != 0) {
    ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&header_->doorbell), FUTEX_WAKE,
              everyone ? INT32_MAX : 1, nullptr, nullptr, 0);
  }
}

uint32_t ShmRing::doorbell_count() const noexcept {
  return header_->doorbell.load(std::memory_order_acquire);
}

void ShmRing::wait_doorbell(uint32_t seen, std::chrono::milliseconds timeout) noexcept {
  header_->doorbell_sleepers.fetch_add(1, std::memory_order_seq_cst);
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (header_->doorbell.load(std::memory_order_seq_cst) == seen) {
    futex_wait(header_->doorbell, seen, timeout);
  }
  header_->doorbell_sleepers.fetch_sub(1, std::memory_order_seq_cst);
}

}  // namespace orb::detail
