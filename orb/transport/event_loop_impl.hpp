// The Asio side of EventLoop, for the transport's .cpp files only.
#pragma once

#include <orb/transport/event_loop.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace orb::detail {

struct EventLoop::Impl {
  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  std::mutex mutex;  // guards threads
  std::vector<std::thread> threads;
};

}  // namespace orb::detail
