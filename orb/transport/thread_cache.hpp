// ThreadCache: runs tasks on parked threads, starting a new thread only
// when none is parked. The server transports give each connection's reader
// a thread from here, and a second one only when a connection has two
// requests in progress at once, so the common case hands nothing between
// threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

namespace orb::detail {

/// A set of threads that grows to the largest number of tasks running at
/// once. A thread that stays parked for `idle_lifetime` ends, so the set
/// shrinks again after a burst.
class ThreadCache {
 public:
  static constexpr std::chrono::seconds kIdleLifetime{60};

  explicit ThreadCache(std::chrono::milliseconds idle_lifetime = kIdleLifetime);
  ~ThreadCache();
  ThreadCache(const ThreadCache&) = delete;
  ThreadCache& operator=(const ThreadCache&) = delete;

  /// Runs `task` on a parked thread, or on a new one when none is parked.
  /// After stop(), the task is dropped and false is returned.
  bool run(std::function<void()> task);

  /// Lets running tasks finish, runs the tasks that run() accepted and no
  /// thread has taken yet, ends every thread and joins them. Called from
  /// one of its own tasks, it detaches that thread instead of joining it,
  /// and that thread ends once no task is left.
  void stop();

  /// Threads that have not ended (parked or running).
  size_t thread_count() const;

  /// The queue and threads, shared with the threads, which may outlive the cache.
  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace orb::detail
