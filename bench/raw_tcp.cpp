// The raw TCP floor: a blocking socket ping-pong on loopback with no
// marshalling, against which the ORBs' TCP numbers are compared. A request
// is an 8-byte header (operation, payload length, both in host order) and
// the payload; a reply is a 4-byte length and the payload. Both sides set
// TCP_NODELAY and send each message with one sendmsg().
//
//   raw_tcp server PORT READY_FILE   serves 127.0.0.1:PORT, a thread per connection
//   raw_tcp client PORT              runs the measurements of harness.hpp
#include "harness.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <system_error>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

enum Operation : uint32_t { kNull = 0, kAdd = 1, kEcho = 2 };
constexpr size_t kMaxPayload = 1024 * 1024;

[[noreturn]] void fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

/// A connected socket with a small receive buffer, so a short message
/// costs one recv() however it is split into header and payload.
class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {
    int on = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  /// Sends `header` and then `payload` in one system call (more if short).
  void send(const void* header, size_t header_size, const uint8_t* payload, size_t size) {
    iovec parts[2] = {{const_cast<void*>(header), header_size},
                      {const_cast<uint8_t*>(payload), size}};
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = size == 0 ? 1 : 2;
    while (message.msg_iovlen > 0) {
      ssize_t sent = ::sendmsg(fd_, &message, MSG_NOSIGNAL);
      if (sent < 0) {
        fail("sendmsg");
      }
      auto left = static_cast<size_t>(sent);
      while (message.msg_iovlen > 0 && left >= message.msg_iov->iov_len) {
        left -= message.msg_iov->iov_len;
        ++message.msg_iov;
        --message.msg_iovlen;
      }
      if (message.msg_iovlen > 0) {
        message.msg_iov->iov_base = static_cast<uint8_t*>(message.msg_iov->iov_base) + left;
        message.msg_iov->iov_len -= left;
      }
    }
  }

  /// Reads exactly `size` bytes; false at end of stream.
  bool receive(void* destination, size_t size) {
    auto* out = static_cast<uint8_t*>(destination);
    size_t buffered = std::min(size, end_ - begin_);
    std::memcpy(out, buffer_ + begin_, buffered);
    begin_ += buffered;
    size_t done = buffered;
    while (done < size) {
      size_t left = size - done;
      // Large remainders go straight to the destination; small ones refill the buffer.
      bool direct = left >= sizeof buffer_;
      ssize_t count =
          direct ? ::recv(fd_, out + done, left, 0) : ::recv(fd_, buffer_, sizeof buffer_, 0);
      if (count <= 0) {
        if (count < 0) {
          fail("recv");
        }
        return false;
      }
      if (direct) {
        done += static_cast<size_t>(count);
        continue;
      }
      begin_ = 0;
      end_ = static_cast<size_t>(count);
      size_t take = std::min(left, end_);
      std::memcpy(out + done, buffer_, take);
      begin_ = take;
      done += take;
    }
    return true;
  }

 private:
  int fd_;
  uint8_t buffer_[16 * 1024];
  size_t begin_ = 0;
  size_t end_ = 0;
};

void serve(int fd) {
  Socket socket(fd);
  std::vector<uint8_t> payload(kMaxPayload);
  uint32_t header[2];
  while (socket.receive(header, sizeof header)) {
    uint32_t size = header[1];
    if (size > kMaxPayload || !socket.receive(payload.data(), size)) {
      return;
    }
    uint32_t length = 0;
    if (header[0] == kAdd) {
      int32_t arguments[2];
      std::memcpy(arguments, payload.data(), sizeof arguments);
      int32_t sum = arguments[0] + arguments[1];
      std::memcpy(payload.data(), &sum, sizeof sum);
      length = sizeof sum;
    } else if (header[0] == kEcho) {
      length = size;
    }
    socket.send(&length, sizeof length, payload.data(), length);
  }
}

sockaddr_in loopback(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return address;
}

int run_server(uint16_t port, const std::string& ready_file) {
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int on = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address = loopback(port);
  if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener, 16) != 0) {
    fail("listen on 127.0.0.1:" + std::to_string(port));
  }
  std::ofstream(ready_file) << "ready\n";
  while (true) {
    int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) {
      std::thread(serve, fd).detach();
    }
  }
}

class RawTcpCaller final : public orb::bench::Caller {
 public:
  explicit RawTcpCaller(uint16_t port) : socket_(connect(port)), reply_(kMaxPayload) {}

  void null_call() override { call(kNull, nullptr, 0); }
  int32_t add(int32_t a, int32_t b) override {
    int32_t arguments[2] = {a, b};
    call(kAdd, reinterpret_cast<const uint8_t*>(arguments), sizeof arguments);
    int32_t sum = 0;
    std::memcpy(&sum, reply_.data(), sizeof sum);
    return sum;
  }
  size_t echo(const std::vector<uint8_t>& data, bool verify) override {
    size_t size = call(kEcho, data.data(), data.size());
    if (verify) {
      orb::bench::verify_echo(reply_.data(), size, data);
    }
    return size;
  }

 private:
  static int connect(uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address = loopback(port);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      fail("connect to 127.0.0.1:" + std::to_string(port));
    }
    return fd;
  }

  size_t call(Operation operation, const uint8_t* payload, size_t size) {
    uint32_t header[2] = {operation, static_cast<uint32_t>(size)};
    socket_.send(header, sizeof header, payload, size);
    uint32_t length = 0;
    if (!socket_.receive(&length, sizeof length) || length > kMaxPayload ||
        !socket_.receive(reply_.data(), length)) {
      throw std::runtime_error("the raw TCP server closed the connection");
    }
    return length;
  }

  Socket socket_;
  std::vector<uint8_t> reply_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string role = argc > 1 ? argv[1] : "";
  try {
    if (role == "server" && argc == 4) {
      return run_server(static_cast<uint16_t>(std::stoi(argv[2])), argv[3]);
    }
    if (role == "client" && argc == 3) {
      auto port = static_cast<uint16_t>(std::stoi(argv[2]));
      RawTcpCaller caller(port);
      orb::bench::run_all(caller, [&] { return std::make_unique<RawTcpCaller>(port); });
      return 0;
    }
  } catch (const std::exception& error) {
    std::cerr << "raw_tcp " << role << ": " << error.what() << "\n";
    return 1;
  }
  std::cerr << "usage: raw_tcp server PORT READY_FILE | raw_tcp client PORT\n";
  return 2;
}
