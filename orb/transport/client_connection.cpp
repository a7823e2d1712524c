// Client side of a TCP connection, on POSIX sockets in non-blocking mode
// with poll() for deadlines. Asio's event loop serves the server side; a
// client call instead runs on the caller's thread, as the header explains.
#include <orb/transport/client_connection.hpp>

#include <orb/exception.hpp>
#include <orb/giop/messages.hpp>
#include <orb/minor.hpp>

#include <spdlog/spdlog.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace orb::detail {
namespace {

std::shared_ptr<spdlog::logger> tcp_logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    std::shared_ptr<spdlog::logger> existing = spdlog::get("orb.tcp");
    return existing ? existing : spdlog::default_logger()->clone("orb.tcp");
  }();
  return logger;
}

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
      return true;  // let the following read or write report the error
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

}  // namespace

std::shared_ptr<ClientConnection> ClientConnection::connect(const std::string& host, uint16_t port,
                                                            std::chrono::milliseconds timeout,
                                                            size_t max_message_size) {
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
  tcp_logger()->debug("connected to {}", peer);
  return std::shared_ptr<ClientConnection>(new ClientConnection(fd, peer, max_message_size));
}

ClientConnection::ClientConnection(int fd, std::string peer, size_t max_message_size)
    : fd_(fd), peer_(std::move(peer)), framer_(max_message_size) {}

ClientConnection::~ClientConnection() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

uint32_t ClientConnection::next_request_id() {
  std::lock_guard lock(mutex_);
  return next_request_id_++;
}

bool ClientConnection::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

bool ClientConnection::usable() {
  std::lock_guard lock(mutex_);
  if (closed_) {
    return false;
  }
  if (reader_active_ || !pending_.empty()) {
    return true;
  }
  pollfd entry{fd_, POLLIN, 0};
  if (::poll(&entry, 1, 0) == 0) {
    return true;
  }
  // Nothing is expected on an idle connection: this is end of stream, a
  // CloseConnection or a late reply to a cancelled call.
  ::shutdown(fd_, SHUT_RDWR);
  fail_all(
      std::make_exception_ptr(TRANSIENT(minor::kConnectionLost, CompletionStatus::no,
                                        "connection to " + peer_ + " was closed by the peer")));
  return false;
}

bool ClientConnection::take_first_request_flag() {
  std::lock_guard lock(mutex_);
  return std::exchange(first_request_, false);
}

void ClientConnection::write_all(const std::vector<uint8_t>& bytes, bool request_sent_before) {
  std::lock_guard lock(write_mutex_);
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t count = ::send(fd_, bytes.data() + written, bytes.size() - written, MSG_NOSIGNAL);
    if (count > 0) {
      written += static_cast<size_t>(count);
      continue;
    }
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      wait_for(fd_, POLLOUT, std::nullopt);
      continue;
    }
    std::string reason = "send to " + peer_ + " failed: " + std::strerror(errno);
    close(reason);
    if (written == 0 && !request_sent_before) {
      throw TRANSIENT(minor::kConnectionLost, CompletionStatus::no, reason);
    }
    throw COMM_FAILURE(minor::kConnectionLost, CompletionStatus::maybe, reason);
  }
}

giop::Message ClientConnection::call(uint32_t request_id, const std::vector<uint8_t>& request,
                                     std::optional<Clock::time_point> deadline) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) {
      throw TRANSIENT(minor::kConnectionLost, CompletionStatus::no,
                      "connection to " + peer_ + " is closed");
    }
    pending_[request_id] = Pending{};
  }
  try {
    write_all(request, false);
  } catch (...) {
    std::lock_guard lock(mutex_);
    pending_.erase(request_id);
    throw;
  }

  std::unique_lock lock(mutex_);
  while (true) {
    auto entry = pending_.find(request_id);
    if (entry->second.reply) {
      giop::Message reply = std::move(*entry->second.reply);
      pending_.erase(entry);
      return reply;
    }
    if (entry->second.error) {
      std::exception_ptr error = entry->second.error;
      pending_.erase(entry);
      std::rethrow_exception(error);
    }
    bool in_time = true;
    if (!reader_active_) {
      reader_active_ = true;
      in_time = read_until(request_id, lock, deadline);
      reader_active_ = false;
      changed_.notify_all();  // another waiter may take the reader role
    } else if (deadline) {
      in_time = changed_.wait_until(lock, *deadline) == std::cv_status::no_timeout ||
                Clock::now() < *deadline;
    } else {
      changed_.wait(lock);
    }
    entry = pending_.find(request_id);
    if (!in_time && !entry->second.reply && !entry->second.error) {
      pending_.erase(entry);
      lock.unlock();
      send_cancel(request_id);
      throw TIMEOUT(minor::kCallTimedOut, CompletionStatus::maybe,
                    "no reply from " + peer_ + " for request " + std::to_string(request_id) +
                        " before the deadline");
    }
  }
}

bool ClientConnection::read_until(uint32_t request_id, std::unique_lock<std::mutex>& lock,
                                  std::optional<Clock::time_point> deadline) {
  std::array<uint8_t, 64 * 1024> buffer;
  while (true) {
    const Pending& mine = pending_.at(request_id);
    if (mine.reply || mine.error) {
      return true;
    }
    lock.unlock();
    if (!wait_for(fd_, POLLIN, deadline)) {
      lock.lock();
      return false;
    }
    ssize_t count = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      lock.lock();
      continue;
    }
    std::vector<giop::Message> messages;
    std::string failure;
    if (count <= 0) {
      failure = count == 0 ? "connection to " + peer_ + " closed by the peer"
                           : "receive from " + peer_ + " failed: " + std::strerror(errno);
    } else {
      try {
        framer_.feed(std::span<const uint8_t>(buffer.data(), static_cast<size_t>(count)));
        while (std::optional<giop::Message> message = framer_.next()) {
          messages.push_back(std::move(*message));
        }
      } catch (const SystemException& error) {
        failure = "malformed message from " + peer_ + ": " + error.what();
      }
    }
    lock.lock();
    for (giop::Message& message : messages) {
      deliver(std::move(message));
    }
    if (!failure.empty()) {
      tcp_logger()->warn("{}", failure);
      ::shutdown(fd_, SHUT_RDWR);
      fail_all(std::make_exception_ptr(
          COMM_FAILURE(minor::kConnectionLost, CompletionStatus::maybe, failure)));
    }
  }
}

void ClientConnection::deliver(giop::Message message) {
  uint32_t request_id = 0;
  try {
    giop::MessageReader reader(message.bytes);
    switch (reader.header().type) {
      case giop::MessageType::Reply:
        request_id = reader.read_reply_header().request_id;
        break;
      case giop::MessageType::LocateReply:
        request_id = reader.read_locate_reply_header().request_id;
        break;
      case giop::MessageType::CloseConnection:
        // The server processed none of the pending requests, so they may be retried.
        tcp_logger()->debug("{} closed the connection", peer_);
        ::shutdown(fd_, SHUT_RDWR);
        fail_all(std::make_exception_ptr(TRANSIENT(minor::kConnectionLost, CompletionStatus::no,
                                                   peer_ + " closed the connection")));
        return;
      default:
        tcp_logger()->warn("unexpected GIOP message type {} from {}; closing",
                           static_cast<int>(reader.header().type), peer_);
        ::shutdown(fd_, SHUT_RDWR);
        fail_all(std::make_exception_ptr(COMM_FAILURE(
            minor::kConnectionLost, CompletionStatus::maybe, "protocol error from " + peer_)));
        return;
    }
  } catch (const SystemException& error) {
    tcp_logger()->warn("undecodable reply from {}: {}", peer_, error.what());
    return;
  }
  auto entry = pending_.find(request_id);
  if (entry == pending_.end()) {
    tcp_logger()->debug("reply {} from {} has no waiting call (cancelled)", request_id, peer_);
    return;
  }
  entry->second.reply = std::move(message);
  changed_.notify_all();
}

void ClientConnection::fail_all(const std::exception_ptr& error) {
  closed_ = true;
  failure_ = error;
  for (auto& [id, pending] : pending_) {
    if (!pending.reply) {
      pending.error = error;
    }
  }
  changed_.notify_all();
}

void ClientConnection::send_cancel(uint32_t request_id) {
  try {
    write_all(giop::encode_cancel_request(giop::kGiop12, cdr::kNativeByteOrder,
                                          giop::CancelRequestHeader{request_id}),
              true);
  } catch (const SystemException& error) {
    tcp_logger()->debug("CancelRequest {} to {} not sent: {}", request_id, peer_, error.what());
  }
}

void ClientConnection::send_oneway(const std::vector<uint8_t>& request) {
  if (closed()) {
    throw TRANSIENT(minor::kConnectionLost, CompletionStatus::no,
                    "connection to " + peer_ + " is closed");
  }
  write_all(request, false);
}

void ClientConnection::close(const std::string& reason) {
  std::lock_guard lock(mutex_);
  if (closed_) {
    return;
  }
  tcp_logger()->debug("closing connection to {}: {}", peer_, reason);
  ::shutdown(fd_, SHUT_RDWR);
  fail_all(std::make_exception_ptr(
      COMM_FAILURE(minor::kConnectionLost, CompletionStatus::maybe, reason)));
}

}  // namespace orb::detail
