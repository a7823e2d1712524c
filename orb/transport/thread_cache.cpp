// ThreadCache: the parked threads and their hand-off.
#include <orb/transport/thread_cache.hpp>

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace orb::detail {

struct ThreadCache::State {
  explicit State(std::chrono::milliseconds idle_lifetime) : idle_lifetime(idle_lifetime) {}

  const std::chrono::milliseconds idle_lifetime;
  std::mutex mutex;  // guards everything below
  std::condition_variable wake;
  std::deque<std::function<void()>> tasks;
  std::vector<std::thread> threads;
  size_t parked = 0;
  bool stopping = false;
};

namespace {

void serve(const std::shared_ptr<ThreadCache::State>& state);

}  // namespace

ThreadCache::ThreadCache(std::chrono::milliseconds idle_lifetime)
    : state_(std::make_shared<State>(idle_lifetime)) {}

ThreadCache::~ThreadCache() {
  stop();
}

bool ThreadCache::run(std::function<void()> task) {
  std::lock_guard lock(state_->mutex);
  if (state_->stopping) {
    return false;
  }
  state_->tasks.push_back(std::move(task));
  if (state_->parked >= state_->tasks.size()) {
    state_->wake.notify_one();
  } else {
    state_->threads.emplace_back([state = state_] { serve(state); });
  }
  return true;
}

void ThreadCache::stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(state_->mutex);
    // Each queued task has a thread that will take it (see run()), so the
    // threads joined below run the queue out before they end.
    state_->stopping = true;
    threads.swap(state_->threads);
  }
  state_->wake.notify_all();
  for (std::thread& thread : threads) {
    if (thread.get_id() == std::this_thread::get_id()) {
      thread.detach();  // a task stopping its own cache: the thread ends after it
    } else {
      thread.join();
    }
  }
}

size_t ThreadCache::thread_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->threads.size();
}

namespace {

/// Removes the calling thread, parked for too long, from `state` and
/// detaches it. The caller locks the mutex and returns right after.
void retire(ThreadCache::State& state) {
  for (auto it = state.threads.begin(); it != state.threads.end(); ++it) {
    if (it->get_id() == std::this_thread::get_id()) {
      it->detach();
      state.threads.erase(it);
      return;
    }
  }
}

void serve(const std::shared_ptr<ThreadCache::State>& state) {
  std::unique_lock lock(state->mutex);
  while (true) {
    ++state->parked;
    bool woken = state->wake.wait_for(lock, state->idle_lifetime,
                                      [&] { return state->stopping || !state->tasks.empty(); });
    --state->parked;
    if (!woken) {
      retire(*state);
      return;
    }
    if (state->tasks.empty()) {
      return;  // stopping, and no task is left
    }
    std::function<void()> task = std::move(state->tasks.front());
    state->tasks.pop_front();
    lock.unlock();
    try {
      task();
    } catch (const std::exception& error) {
      // Tasks catch their own errors; reaching here is a bug in the ORB.
      spdlog::error("orb server thread ended a task by an exception: {}", error.what());
    }
    task = nullptr;  // releases what the task captured before parking
    lock.lock();
  }
}

}  // namespace

}  // namespace orb::detail
