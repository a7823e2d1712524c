// ThreadCache: threads parked longer than the idle lifetime end, tasks that
// run() accepts are run also when stop() follows at once, and a stopped
// cache takes no more tasks.
#include <orb/transport/thread_cache.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace {

using namespace std::chrono_literals;
using orb::detail::ThreadCache;

/// A gate that keeps tasks waiting until it opens, and counts the tasks at it.
class Gate {
 public:
  void pass() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
    --waiting_;
  }
  bool wait_for_waiting(int count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return waiting_ == count; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int waiting_ = 0;
  bool open_ = false;
};

/// Polls `cache` until it has `count` threads; false after 10 s.
bool wait_for_threads(const ThreadCache& cache, size_t count) {
  for (auto deadline = std::chrono::steady_clock::now() + 10s;
       std::chrono::steady_clock::now() < deadline;) {
    if (cache.thread_count() == count) {
      return true;
    }
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

TEST(ThreadCache, IdleThreadsEnd) {
  ThreadCache cache(50ms);
  Gate gate;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(cache.run([&] { gate.pass(); }));
  }
  ASSERT_TRUE(gate.wait_for_waiting(3));
  EXPECT_EQ(cache.thread_count(), 3u);
  gate.open();
  EXPECT_TRUE(wait_for_threads(cache, 0)) << cache.thread_count() << " threads left";

  // The cache starts threads again after its threads ended.
  std::atomic<bool> ran{false};
  ASSERT_TRUE(cache.run([&] { ran = true; }));
  for (auto deadline = std::chrono::steady_clock::now() + 10s;
       !ran.load() && std::chrono::steady_clock::now() < deadline;) {
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_TRUE(ran.load());
}

TEST(ThreadCache, StopRunsAcceptedTasks) {
  // Each round stops the cache right after handing it tasks, usually before
  // the new threads have picked them up.
  for (int round = 0; round < 50; ++round) {
    ThreadCache cache;
    std::atomic<int> ran{0};
    for (int i = 0; i < 4; ++i) {
      ASSERT_TRUE(cache.run([&ran] { ran.fetch_add(1); }));
    }
    cache.stop();
    ASSERT_EQ(ran.load(), 4) << "stop() dropped accepted tasks in round " << round;
  }
}

TEST(ThreadCache, StopRejectsLaterTasks) {
  ThreadCache cache;
  ASSERT_TRUE(cache.run([] {}));
  cache.stop();
  EXPECT_FALSE(cache.run([] {}));
  EXPECT_EQ(cache.thread_count(), 0u);
}

}  // namespace
