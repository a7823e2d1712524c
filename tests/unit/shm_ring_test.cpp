// ShmRing: bytes pass intact through a ring much smaller than the data,
// between threads and between processes; a dead peer ends a wait; a
// corrupt header from the peer is rejected.
#include <orb/transport/shm_ring.hpp>

#include <orb/exception.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

namespace orb::detail {
namespace {

using namespace std::chrono_literals;

const ShmRing::PeerAlive kAlive = [] { return true; };

std::vector<uint8_t> pattern(size_t size) {
  std::vector<uint8_t> bytes(size);
  for (size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<uint8_t>((i * 2654435761U) >> 13);
  }
  return bytes;
}

std::vector<uint8_t> read_exactly(ShmRing& ring, size_t size) {
  std::vector<uint8_t> received;
  std::vector<uint8_t> buffer(3001);  // odd size, so reads straddle the wrap-around
  while (received.size() < size) {
    std::optional<size_t> count = ring.read_some(buffer, std::nullopt, kAlive);
    if (!count) {
      break;
    }
    received.insert(received.end(), buffer.begin(), buffer.begin() + static_cast<long>(*count));
  }
  return received;
}

TEST(ShmRing, LargeMessageThroughSmallRingBetweenThreads) {
  ShmRing producer = ShmRing::create(4096);
  ShmRing consumer = ShmRing::attach(::dup(producer.fd()));
  std::vector<uint8_t> data = pattern(1 << 20);
  std::thread writer([&] { EXPECT_TRUE(producer.write(data, kAlive)); });
  std::vector<uint8_t> received = read_exactly(consumer, data.size());
  writer.join();
  EXPECT_EQ(received, data);
}

TEST(ShmRing, SixtyFourMebibytesThroughOneMebibyteRingBetweenProcesses) {
  ShmRing ring = ShmRing::create(1 << 20);
  std::vector<uint8_t> data = pattern(64 << 20);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ShmRing producer = ShmRing::attach(::dup(ring.fd()));
    _exit(producer.write(data, kAlive) ? 0 : 1);
  }
  std::vector<uint8_t> received = read_exactly(ring, data.size());
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_TRUE(received == data);
}

TEST(ShmRing, DeadlinePassesWithNoData) {
  ShmRing ring = ShmRing::create(4096);
  std::vector<uint8_t> buffer(16);
  auto start = ShmRing::Clock::now();
  std::optional<size_t> count = ring.read_some(buffer, start + 100ms, kAlive);
  ASSERT_TRUE(count.has_value());
  EXPECT_EQ(*count, 0U);
  EXPECT_GE(ShmRing::Clock::now() - start, 100ms);
}

TEST(ShmRing, DeadPeerEndsWaitQuickly) {
  ShmRing ring = ShmRing::create(4096);
  std::atomic<bool> alive{true};
  std::thread killer([&] {
    std::this_thread::sleep_for(50ms);
    alive = false;
  });
  std::vector<uint8_t> buffer(16);
  auto start = ShmRing::Clock::now();
  std::optional<size_t> count = ring.read_some(buffer, std::nullopt, [&] { return alive.load(); });
  killer.join();
  EXPECT_FALSE(count.has_value());
  EXPECT_LT(ShmRing::Clock::now() - start, 1s);
}

TEST(ShmRing, FullRingWriterStopsWhenPeerDies) {
  ShmRing ring = ShmRing::create(4096);
  std::vector<uint8_t> data(10000, 7);
  std::atomic<int> checks{0};
  EXPECT_FALSE(ring.write(data, [&] { return ++checks < 3; }));
}

TEST(ShmRing, CorruptHeaderRejected) {
  ShmRing ring = ShmRing::create(4096);
  // Another mapping of the same memfd plays a hostile peer and announces
  // more bytes than the ring holds; `head` is the second 64-byte line.
  void* peer = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ring.fd(), 0);
  ASSERT_NE(peer, MAP_FAILED);
  static_cast<std::atomic<uint64_t>*>(static_cast<void*>(static_cast<char*>(peer) + 64))
      ->store(1 << 20);
  std::vector<uint8_t> buffer(16);
  EXPECT_THROW(ring.read_some(buffer, std::nullopt, kAlive), MARSHAL);
  ::munmap(peer, 4096);
}

TEST(ShmRing, InvalidSizesRejected) {
  EXPECT_THROW(ShmRing::create(5000), BAD_PARAM);
  int fd = ::memfd_create("not-a-ring", MFD_CLOEXEC);
  ASSERT_EQ(::ftruncate(fd, 4096 + 4096), 0);
  EXPECT_THROW(ShmRing::attach(fd), MARSHAL);  // zero header: wrong magic
}

}  // namespace
}  // namespace orb::detail
