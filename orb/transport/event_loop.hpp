// EventLoop: the ORB's Boost.Asio io_context and the threads that run it.
// Accepting, reading server connections and running upcalls happen on
// these threads. The Asio types stay in orb/transport's .cpp files; other
// layers see only this class.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace orb::detail {

class EventLoop {
 public:
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  /// Starts `threads` threads running the loop; later calls do nothing.
  void start(size_t threads);
  /// Stops the loop and joins its threads. Safe to call more than once,
  /// but not from one of the loop's own threads.
  void stop();
  /// Runs `task` on one of the loop's threads.
  void post(std::function<void()> task);

  struct Impl;
  Impl& impl() noexcept { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace orb::detail
