// The raw shared-memory floor: a two-process ping-pong through a POSIX
// shared-memory region with no marshalling, against which the ORB's
// shared-memory numbers are compared. Each channel has a request and a
// reply mailbox; a writer copies the payload in and bumps the mailbox's
// sequence number, and a reader waits for that number to change by
// spinning for up to 50 microseconds, then sleeping on a futex, the same
// policy as the ORB's shared-memory ring (including its rule that a
// process spins on fewer threads than there are CPUs).
//
//   raw_shm server NAME READY_FILE   creates the region NAME (shm_open) and
//                                    serves each channel on a thread
//   raw_shm client NAME              runs the measurements of harness.hpp
#include "harness.hpp"

#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace {

enum Operation : uint32_t { kNull = 0, kAdd = 1, kEcho = 2 };
constexpr size_t kMaxPayload = 1024 * 1024;
constexpr unsigned kChannels = 4;
constexpr auto kSpinTime = std::chrono::microseconds(50);

struct Mailbox {
  alignas(64) std::atomic<uint32_t> sequence;  // bumped by the writer after each message
  std::atomic<uint32_t> sleeping;              // 1 while the reader may be in futex_wait
  std::atomic<int32_t> writer_cpu;             // CPU of the writer's last post
  uint32_t operation;
  uint32_t length;
  alignas(64) uint8_t data[kMaxPayload];
};

struct Channel {
  Mailbox request;
  Mailbox reply;
};

struct Region {
  Channel channels[kChannels];
};

using orb::bench::Clock;

std::atomic<unsigned> spinning_threads{0};

[[noreturn]] void fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

/// Spins until `box` moves past `seen` and returns true when it moved.
/// While the writer last ran on this CPU, it yields before every check, as
/// the ORB's rings do. Otherwise it spins, unless this process already spins
/// on every other CPU.
bool spin_for_change(const Mailbox& box, uint32_t seen) {
  Clock::time_point until = Clock::now() + kSpinTime;
  auto moved = [&] { return box.sequence.load(std::memory_order_acquire) != seen; };
  while (box.writer_cpu.load(std::memory_order_relaxed) == sched_getcpu()) {
    sched_yield();  // the writer can only run if this thread lets it
    if (moved()) {
      return true;
    }
    if (Clock::now() >= until) {
      return false;
    }
  }
  static const unsigned cpus = std::max(2U, std::thread::hardware_concurrency());
  unsigned others = spinning_threads.fetch_add(1, std::memory_order_relaxed);
  bool result = false;
  if (others + 1 < cpus) {
    for (int i = 0; !result; ++i) {
      result = moved();
      if ((i & 63) == 63) {
        if (Clock::now() >= until) {
          break;
        }
        if (box.writer_cpu.load(std::memory_order_relaxed) == sched_getcpu()) {
          sched_yield();
        }
      }
#if defined(__x86_64__)
      __builtin_ia32_pause();
#endif
    }
  }
  spinning_threads.fetch_sub(1, std::memory_order_relaxed);
  return result;
}

/// Waits until the writer posts past `seen`; returns the new sequence number.
uint32_t wait_for_post(Mailbox& box, uint32_t seen) {
  if (!spin_for_change(box, seen)) {
    while (true) {
      box.sleeping.store(1, std::memory_order_seq_cst);
      if (box.sequence.load(std::memory_order_seq_cst) != seen) {
        break;
      }
      ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&box.sequence), FUTEX_WAIT, seen, nullptr,
                nullptr, 0);
    }
    box.sleeping.store(0, std::memory_order_relaxed);
  }
  return box.sequence.load(std::memory_order_acquire);
}

/// Publishes the message written into `box` and wakes its reader if asleep.
void post(Mailbox& box) {
  box.writer_cpu.store(sched_getcpu(), std::memory_order_relaxed);
  box.sequence.fetch_add(1, std::memory_order_seq_cst);
  if (box.sleeping.load(std::memory_order_seq_cst) != 0) {
    ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&box.sequence), FUTEX_WAKE, 1, nullptr,
              nullptr, 0);
  }
}

Region* map_region(int fd) {
  void* mapping = ::mmap(nullptr, sizeof(Region), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  ::close(fd);
  if (mapping == MAP_FAILED) {
    fail("mmap");
  }
  return static_cast<Region*>(mapping);
}

void serve(Channel& channel) {
  uint32_t seen = channel.request.sequence.load(std::memory_order_acquire);
  while (true) {
    seen = wait_for_post(channel.request, seen);
    Mailbox& reply = channel.reply;
    reply.length = 0;
    if (channel.request.operation == kAdd) {
      int32_t arguments[2];
      std::memcpy(arguments, channel.request.data, sizeof arguments);
      int32_t sum = arguments[0] + arguments[1];
      std::memcpy(reply.data, &sum, sizeof sum);
      reply.length = sizeof sum;
    } else if (channel.request.operation == kEcho) {
      reply.length = std::min<uint32_t>(channel.request.length, kMaxPayload);
      std::memcpy(reply.data, channel.request.data, reply.length);
    }
    post(reply);
  }
}

int run_server(const std::string& name, const std::string& ready_file) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  int fd = ::shm_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 || ::ftruncate(fd, sizeof(Region)) != 0) {
    fail("create shared memory " + name);
  }
  Region* region = map_region(fd);  // ftruncate() zero-filled it: every sequence starts at 0
  for (Channel& channel : region->channels) {
    std::thread(serve, std::ref(channel)).detach();
  }
  std::ofstream(ready_file) << "ready\n";
  int received = 0;
  sigwait(&stop_signals, &received);
  ::shm_unlink(name.c_str());
  return 0;
}

class RawShmCaller final : public orb::bench::Caller {
 public:
  RawShmCaller(Region& region, unsigned channel)
      : channel_(region.channels[channel]), reply_(kMaxPayload) {}

  void null_call() override { call(kNull, nullptr, 0); }
  int32_t add(int32_t a, int32_t b) override {
    int32_t arguments[2] = {a, b};
    call(kAdd, reinterpret_cast<const uint8_t*>(arguments), sizeof arguments);
    int32_t sum = 0;
    std::memcpy(&sum, reply_.data(), sizeof sum);
    return sum;
  }
  size_t echo(const std::vector<uint8_t>& data, bool verify) override {
    size_t size = call(kEcho, data.data(), data.size());
    if (verify) {
      orb::bench::verify_echo(reply_.data(), size, data);
    }
    return size;
  }

 private:
  /// Copies the request in, waits for the reply and copies it out.
  size_t call(Operation operation, const uint8_t* payload, size_t size) {
    Mailbox& request = channel_.request;
    uint32_t seen = channel_.reply.sequence.load(std::memory_order_acquire);
    request.operation = operation;
    request.length = static_cast<uint32_t>(size);
    if (size > 0) {
      std::memcpy(request.data, payload, size);
    }
    post(request);
    wait_for_post(channel_.reply, seen);
    uint32_t length = std::min<uint32_t>(channel_.reply.length, kMaxPayload);
    std::memcpy(reply_.data(), channel_.reply.data, length);
    return length;
  }

  Channel& channel_;
  std::vector<uint8_t> reply_;
};

int run_client(const std::string& name) {
  int fd = ::shm_open(name.c_str(), O_RDWR | O_CLOEXEC, 0);
  if (fd < 0) {
    fail("open shared memory " + name);
  }
  Region* region = map_region(fd);
  RawShmCaller caller(*region, 0);
  // Channel 0 is the first caller's; threads of later runs take 1 to 3 in turn.
  unsigned next = 0;
  orb::bench::run_all(caller, [&] {
    next = next % (kChannels - 1) + 1;
    return std::make_unique<RawShmCaller>(*region, next);
  });
  ::munmap(region, sizeof(Region));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string role = argc > 1 ? argv[1] : "";
  try {
    if (role == "server" && argc == 4) {
      return run_server(argv[2], argv[3]);
    }
    if (role == "client" && argc == 3) {
      return run_client(argv[2]);
    }
  } catch (const std::exception& error) {
    std::cerr << "raw_shm " << role << ": " << error.what() << "\n";
    return 1;
  }
  std::cerr << "usage: raw_shm server NAME READY_FILE | raw_shm client NAME\n";
  return 2;
}
