// EventLoop: starting and stopping the io_context threads.
#include <orb/transport/event_loop_impl.hpp>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

namespace orb::detail {

EventLoop::EventLoop() : impl_(std::make_unique<Impl>()) {}

EventLoop::~EventLoop() {
  stop();
}

void EventLoop::start(size_t threads) {
  std::lock_guard lock(impl_->mutex);
  if (!impl_->threads.empty()) {
    return;
  }
  impl_->work.emplace(impl_->io.get_executor());
  for (size_t i = 0; i < threads; ++i) {
    impl_->threads.emplace_back([this] {
      try {
        impl_->io.run();
      } catch (const std::exception& error) {
        // Handlers catch their own errors; reaching here is a bug in the ORB.
        spdlog::error("orb event loop thread ended by an exception: {}", error.what());
      }
    });
  }
}

void EventLoop::stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->work.reset();
    impl_->io.stop();
    threads = std::move(impl_->threads);
    impl_->threads.clear();
  }
  for (std::thread& thread : threads) {
    if (thread.joinable()) {
      thread.join();
    }
  }
}

void EventLoop::post(std::function<void()> task) {
  boost::asio::post(impl_->io, std::move(task));
}

}  // namespace orb::detail
