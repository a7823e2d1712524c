// ThreadCache: the parked threads and their hand-off.
#include <orb/transport/thread_cache.hpp>

#include <spdlog/spdlog.h>

namespace orb::detail {

ThreadCache::~ThreadCache() {
  stop();
}

bool ThreadCache::run(std::function<void()> task) {
  std::lock_guard lock(mutex_);
  if (stopping_) {
    return false;
  }
  tasks_.push_back(std::move(task));
  if (parked_ >= tasks_.size()) {
    wake_.notify_one();
  } else {
    threads_.emplace_back([this] { serve(); });
  }
  return true;
}

void ThreadCache::stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    tasks_.clear();
    threads.swap(threads_);
  }
  wake_.notify_all();
  for (std::thread& thread : threads) {
    thread.join();
  }
}

size_t ThreadCache::thread_count() const {
  std::lock_guard lock(mutex_);
  return threads_.size();
}

void ThreadCache::serve() {
  std::unique_lock lock(mutex_);
  while (true) {
    ++parked_;
    wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
    --parked_;
    if (tasks_.empty()) {
      return;  // stopping
    }
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    try {
      task();
    } catch (const std::exception& error) {
      // Tasks catch their own errors; reaching here is a bug in the ORB.
      spdlog::error("orb server thread ended a task by an exception: {}", error.what());
    }
    task = nullptr;  // drops what the task holds before parking
    lock.lock();
  }
}

}  // namespace orb::detail
