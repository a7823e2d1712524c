// ThreadCache: runs tasks on parked threads, starting a new thread only
// when none is parked. The server transports give each connection's reader
// a thread from here, and a second one only when a connection has two
// requests in progress at once, so the common case hands nothing between
// threads.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace orb::detail {

/// A grow-only set of threads. NOTE: threads are not retired while the
/// cache lives, so it keeps as many as the most tasks that ever ran at once.
class ThreadCache {
 public:
  ThreadCache() = default;
  ~ThreadCache();
  ThreadCache(const ThreadCache&) = delete;
  ThreadCache& operator=(const ThreadCache&) = delete;

  /// Runs `task` on a parked thread, or on a new one when none is parked.
  /// After stop(), the task is dropped and false is returned.
  bool run(std::function<void()> task);

  /// Lets running tasks finish, ends every thread and joins them. Must not
  /// be called from a task.
  void stop();

  /// Threads started so far (parked or running).
  size_t thread_count() const;

 private:
  void serve();

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  size_t parked_ = 0;
  bool stopping_ = false;
};

}  // namespace orb::detail
