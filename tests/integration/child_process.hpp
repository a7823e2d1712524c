// Helpers for tests that run other programs: a child process started with
// posix_spawn and stopped by its pid when the guard goes out of scope, a
// scratch directory removed likewise, a free loopback port, and a bounded
// wait for a file that a child writes (such as its IOR).
#pragma once

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace orb::test {

using namespace std::chrono_literals;

/// A temporary directory, removed with its contents on destruction.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "orb-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "mkdtemp");
    }
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// A child process started with posix_spawn. The destructor stops it:
/// SIGTERM, a bounded wait, then SIGKILL and waitpid.
class ChildProcess {
 public:
  /// Starts `arguments[0]` with the given arguments; stdout and stderr go
  /// to `output_path` when it is not empty.
  explicit ChildProcess(const std::vector<std::string>& arguments,
                        const std::string& output_path = {}) {
    std::vector<char*> argv;
    for (const std::string& argument : arguments) {
      argv.push_back(const_cast<char*>(argument.c_str()));  // posix_spawn does not write them
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (!output_path.empty()) {
      posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_path.c_str(),
                                       O_WRONLY | O_CREAT | O_TRUNC, 0600);
      posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    }
    int status = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (status != 0) {
      throw std::system_error(status, std::generic_category(), "posix_spawn " + arguments[0]);
    }
  }
  ~ChildProcess() { stop(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const noexcept { return pid_; }
  bool running() const noexcept { return pid_ > 0 && !status_; }

  void signal(int number) const {
    if (running()) {
      ::kill(pid_, number);
    }
  }

  /// Waits up to `timeout` for the child to end; its wait status, or
  /// nothing when it still runs.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
      int status = 0;
      pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_ || (done < 0 && errno != EINTR)) {
        status_ = status;
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        break;
      }
      std::this_thread::sleep_for(2ms);
    }
    return status_;
  }

  /// Kills the child at once with SIGKILL and reaps it.
  void kill_now() {
    signal(SIGKILL);
    wait_for_exit(10s);
  }

  /// SIGTERM, up to two seconds to end, then SIGKILL.
  void stop() {
    if (!running()) {
      return;
    }
    signal(SIGTERM);
    if (!wait_for_exit(2s)) {
      kill_now();
    }
  }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

/// A loopback port that was free a moment ago.
inline uint16_t free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::system_error(errno, std::generic_category(), "bind 127.0.0.1:0");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

/// Returns the number of threads in this process.
inline size_t thread_count() {
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator("/proc/self/task"),
                                           std::filesystem::directory_iterator()));
}

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

/// Waits up to `timeout` for `path` to exist and returns its contents; empty
/// when it did not appear in time or `child` ended first.
inline std::string wait_for_file(const std::string& path, ChildProcess& child,
                                 std::chrono::milliseconds timeout = 10s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::filesystem::exists(path)) {
      return read_text_file(path);
    }
    if (child.wait_for_exit(0ms)) {
      return {};
    }
    std::this_thread::sleep_for(5ms);
  }
  return {};
}

}  // namespace orb::test
