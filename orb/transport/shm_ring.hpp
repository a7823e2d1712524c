// ShmRing: a single-producer single-consumer byte ring in a memfd that two
// processes map. The producer copies bytes in and advances `head`; the
// consumer copies them out and advances `tail`; both are byte counts that
// only grow. A waiting side spins briefly and then sleeps on a futex in
// the ring header, and the other side wakes it only when it is asleep, so
// a busy ring costs no system calls. Messages larger than the ring pass
// through it in pieces.
//
// The peer is another process and may be hostile or dead: the header is
// checked on every read (head - tail may never exceed the capacity), and
// every wait ends at least every kLivenessInterval to ask whether the peer
// is still there.
#pragma once

#include <orb/detail/function_ref.hpp>
#include <orb/transport/spin_budget.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>

namespace orb::detail {

class ShmRing {
 public:
  using Clock = std::chrono::steady_clock;
  /// How often a sleeping side wakes to check that its peer is alive.
  static constexpr std::chrono::milliseconds kLivenessInterval{50};
  /// Returns false when the peer has gone, which ends any wait.
  using PeerAlive = std::function<bool()>;

  /// Creates a ring of `capacity` bytes (a power of two, 4 KiB to 1 GiB)
  /// in a new memfd. Raises NO_RESOURCES when the kernel refuses.
  static ShmRing create(size_t capacity);
  /// Maps a ring that the peer created and passed as `fd` (taking
  /// ownership of it). Raises MARSHAL when its size or header is invalid.
  static ShmRing attach(int fd);

  ShmRing(ShmRing&& other) noexcept;
  ShmRing& operator=(ShmRing&& other) noexcept;
  ~ShmRing();

  int fd() const noexcept { return fd_; }
  size_t capacity() const noexcept { return capacity_; }

  /// Copies all of `bytes` in, waiting for space as needed. Returns false
  /// when the peer died first.
  bool write(std::span<const uint8_t> bytes, const PeerAlive& peer_alive);
  /// Copies up to buffer.size() available bytes out, waiting until at
  /// least one is available or the deadline passes (returns 0) or the peer
  /// dies (returns nullopt). Raises MARSHAL when the header is corrupt.
  std::optional<size_t> read_some(std::span<uint8_t> buffer,
                                  std::optional<Clock::time_point> deadline,
                                  const PeerAlive& peer_alive);

  /// Receives bytes in place: waits as read_some() does, then passes up to
  /// `limit` readable bytes to `sink` where they lie in the ring (as one or
  /// two spans, in order) and frees them. Saves read_some()'s copy when the
  /// sink copies anyway. The peer may write to the ring meanwhile, so the
  /// sink must read each byte once. Returns the count passed, 0 at the
  /// deadline, nullopt when the peer died.
  std::optional<size_t> read_into(FunctionRef<void(std::span<const uint8_t>)> sink, size_t limit,
                                  std::optional<Clock::time_point> deadline,
                                  const PeerAlive& peer_alive);

  /// True when bytes wait to be read; for the consumer, costs no system call.
  bool readable() const noexcept;

  // The consumer side may be several threads that take turns; the one
  // reading on raises `reader_present`. A producer that finds no reader
  // present after writing rings the doorbell, on which idle consumer
  // threads sleep, so a request that arrives while the reader runs an
  // upcall still gets a thread, and a lone caller costs no wake-up.

  /// Consumer: announces whether a thread reads on (true at creation).
  void set_reader_present(bool present) noexcept;
  /// Producer, after write(): rings the doorbell when no reader is present.
  void call_reader_if_absent() noexcept;
  /// Wakes one sleeper on the doorbell, or all of them.
  void ring_doorbell(bool everyone = false) noexcept;
  /// The doorbell's count, to pass to wait_doorbell().
  uint32_t doorbell_count() const noexcept;
  /// Sleeps until the doorbell rings after `seen` was read, or `timeout`.
  void wait_doorbell(uint32_t seen, std::chrono::milliseconds timeout) noexcept;

 private:
  struct Header;
  ShmRing(int fd, void* mapping, size_t mapping_size);

  int fd_ = -1;
  void* mapping_ = nullptr;
  size_t mapping_size_ = 0;
  size_t capacity_ = 0;
  Header* header_ = nullptr;
  uint8_t* data_ = nullptr;
  // This side's recent waits: a process uses a ring either to write or to
  // read, so these are waits for space or waits for data.
  SpinHistory spin_history_;
};

}  // namespace orb::detail
