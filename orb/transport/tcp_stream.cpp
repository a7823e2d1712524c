// TcpStream: a ByteStream on a blocking POSIX TCP socket whose receive
// timeout lets a call read its reply on its own thread with a deadline.
#include <orb/transport/byte_stream.hpp>

#include <orb/exception.hpp>
#include <orb/minor.hpp>
#include <orb/transport/spin_budget.hpp>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

namespace orb::detail {
namespace {

using Clock = ByteStream::Clock;

/// Milliseconds until `deadline` for poll(), or -1 to wait forever.
int poll_timeout(std::optional<Clock::time_point> deadline) {
  if (!deadline) {
    return -1;
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<int64_t>(left.count(), 1 << 30));
}

/// Waits for `events` on `fd`; false when the deadline passed first.
bool wait_for(int fd, short events, std::optional<Clock::time_point> deadline) {
  pollfd entry{fd, events, 0};
  while (true) {
    int ready = ::poll(&entry, 1, poll_timeout(deadline));
    if (ready > 0) {
      return true;
    }
    if (ready == 0) {
      return false;
    }
    if (errno != EINTR) {
      return true;  // the following read or write reports the error
    }
  }
}

/// One non-blocking connect with a deadline; returns the socket or -1 and sets `error`.
int connect_one(const addrinfo& address, Clock::time_point deadline, std::string& error) {
  int fd = ::socket(address.ai_family, address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    address.ai_protocol);
  if (fd < 0) {
    error = std::strerror(errno);
    return -1;
  }
  if (::connect(fd, address.ai_addr, address.ai_addrlen) != 0 && errno != EINPROGRESS) {
    error = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  if (!wait_for(fd, POLLOUT, deadline)) {
    error = "connection timed out";
    ::close(fd);
    return -1;
  }
  int socket_error = 0;
  socklen_t length = sizeof socket_error;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &socket_error, &length);
  if (socket_error != 0) {
    error = std::strerror(socket_error);
    ::close(fd);
    return -1;
  }
  int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  return fd;
}

/// How long one blocking recv() waits before the deadline is checked again.
constexpr std::chrono::milliseconds kReadSlice{20};

class TcpStream final : public ByteStream {
 public:
  /// Takes a connected socket and makes it blocking, with a receive timeout
  /// of kReadSlice: a reply is then read with one recv() and no poll().
  explicit TcpStream(int fd) : fd_(fd) {
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
    timeval slice{0,
                  static_cast<suseconds_t>(
                      std::chrono::duration_cast<std::chrono::microseconds>(kReadSlice).count())};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &slice, sizeof slice);
  }
  ~TcpStream() override { ::close(fd_); }

  const char* transport() const noexcept override { return "tcp"; }

  std::string write_all(std::span<const uint8_t> bytes, size_t& written) override {
    written = 0;
    while (written < bytes.size()) {
      ssize_t count = ::send(fd_, bytes.data() + written, bytes.size() - written, MSG_NOSIGNAL);
      if (count > 0) {
        written += static_cast<size_t>(count);
      } else if (count < 0 && errno == EINTR) {
        continue;
      } else if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        wait_for(fd_, POLLOUT, std::nullopt);
      } else {
        return std::string("send failed: ") + std::strerror(errno);
      }
    }
    return {};
  }

  std::string write_pieces(std::span<const std::span<const uint8_t>> pieces,
                           size_t& written) override {
    written = 0;
    int error = send_pieces(fd_, pieces, written, [this] { return wait_for(fd_, POLLOUT, {}); });
    return error == 0 ? std::string() : std::string("sendmsg failed: ") + std::strerror(error);
  }

  ReadResult read_some(std::span<uint8_t> buffer,
                       std::optional<Clock::time_point> deadline) override {
    Clock::time_point start = Clock::now();
    if (std::optional<ReadResult> read = result_of(receive_spinning(
            fd_, buffer, start, deadline.value_or(Clock::time_point::max()), spin_history_))) {
      return *read;
    }
    while (true) {
      int flags = 0;
      if (deadline) {
        Clock::duration left = *deadline - Clock::now();
        if (left <= Clock::duration::zero()) {
          return ReadResult{0, true, {}};
        }
        if (left < kReadSlice) {
          // Near the deadline, wait for exactly the time left.
          if (!wait_for(fd_, POLLIN, deadline)) {
            return ReadResult{0, true, {}};
          }
          flags = MSG_DONTWAIT;
        }
      }
      if (std::optional<ReadResult> read =
              result_of(::recv(fd_, buffer.data(), buffer.size(), flags))) {
        if (read->count > 0) {
          spin_history_.record_wait(fd_, Clock::now() - start);
        }
        return *read;
      }
    }
  }

  /// Turns what recv() returned into a result; nullopt when nothing came
  /// and the caller must try again.
  static std::optional<ReadResult> result_of(ssize_t count) {
    if (count > 0) {
      return ReadResult{static_cast<size_t>(count), false, {}};
    }
    if (count == 0) {
      return ReadResult{0, false, "closed by the peer"};
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
      return std::nullopt;
    }
    return ReadResult{0, false, std::string("receive failed: ") + std::strerror(errno)};
  }

  bool idle_peer_spoke() override {
    pollfd entry{fd_, POLLIN, 0};
    return ::poll(&entry, 1, 0) != 0;
  }

  void shutdown() override { ::shutdown(fd_, SHUT_RDWR); }

 private:
  int fd_;
  SpinHistory spin_history_;
};

}  // namespace

int send_pieces(int fd, std::span<const std::span<const uint8_t>> pieces, size_t& written,
                FunctionRef<bool()> when_full) {
  std::vector<iovec> vectors;
  for (std::span<const uint8_t> piece : pieces) {
    if (!piece.empty()) {
      vectors.push_back({const_cast<uint8_t*>(piece.data()), piece.size()});
    }
  }
  size_t first = 0;  // the vector that the next sendmsg() starts at
  while (first < vectors.size()) {
    msghdr header{};
    header.msg_iov = vectors.data() + first;
    header.msg_iovlen = std::min<size_t>(vectors.size() - first, IOV_MAX);
    ssize_t count = ::sendmsg(fd, &header, MSG_NOSIGNAL);
    if (count < 0) {
      int error = errno;
      if (error == EINTR || ((error == EAGAIN || error == EWOULDBLOCK) && when_full())) {
        continue;
      }
      return error;
    }
    written += static_cast<size_t>(count);
    auto sent = static_cast<size_t>(count);
    while (sent > 0 && sent >= vectors[first].iov_len) {
      sent -= vectors[first].iov_len;
      ++first;
    }
    if (sent > 0) {
      vectors[first].iov_base = static_cast<uint8_t*>(vectors[first].iov_base) + sent;
      vectors[first].iov_len -= sent;
    }
  }
  return 0;
}

std::unique_ptr<ByteStream> connect_tcp(const std::string& host, uint16_t port,
                                        std::chrono::milliseconds timeout) {
  std::string peer =
      (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* addresses = nullptr;
  int status = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &addresses);
  if (status != 0) {
    throw TRANSIENT(minor::kConnectFailed, CompletionStatus::no,
                    "connect " + peer + ": " + ::gai_strerror(status));
  }
  Clock::time_point deadline = Clock::now() + timeout;
  std::string error;
  int fd = -1;
  for (addrinfo* address = addresses; address != nullptr && fd < 0; address = address->ai_next) {
    fd = connect_one(*address, deadline, error);
  }
  ::freeaddrinfo(addresses);
  if (fd < 0) {
    throw TRANSIENT(minor::kConnectFailed, CompletionStatus::no,
                    "connect " + peer + " failed: " + error);
  }
  return std::make_unique<TcpStream>(fd);
}

}  // namespace orb::detail
