// Shared-memory transport: the Unix-socket handshake that passes the ring
// memfds, the client's ByteStream over the rings, and the server's
// per-connection threads.
#include <orb/transport/shm.hpp>

#include <orb/detail/log.hpp>
#include <orb/exception.hpp>
#include <orb/giop/messages.hpp>
#include <orb/minor.hpp>
#include <orb/transport/shm_ring.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <list>
#include <mutex>
#include <thread>

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace orb::detail {
namespace {

constexpr std::array<char, 8> kHandshakeMagic{'O', 'R', 'B', 'S', 'H', 'M', '0', '1'};
// Bytes 12 to 15 of the handshake: a server that reads block notices sends
// these. Earlier servers sent the ring size there as a 64-bit number, so
// the four bytes were zero; clients read neither.
constexpr std::array<char, 4> kNoticesFeature{'O', 'R', 'B', 'K'};

std::shared_ptr<spdlog::logger> logger() {
  static std::shared_ptr<spdlog::logger> instance = orb::detail::named_logger("orb.shm");
  return instance;
}

/// False once the peer closed its end of the Unix socket or reset it.
bool socket_alive(int fd) {
  pollfd entry{fd, POLLIN | POLLRDHUP, 0};
  if (::poll(&entry, 1, 0) <= 0) {
    return true;
  }
  if ((entry.revents & (POLLHUP | POLLRDHUP | POLLERR)) != 0) {
    return false;
  }
  // The peer sends nothing after the handshake; read to see end of stream.
  char byte = 0;
  return ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

sockaddr_un socket_address(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path) {
    throw BAD_PARAM(minor::kBadListenEndpoint, CompletionStatus::no,
                    "shared-memory socket path '" + path + "' is longer than " +
                        std::to_string(sizeof address.sun_path - 1) + " bytes");
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  return address;
}

/// Sends the handshake: the magic, the ring size (32 bits), the feature
/// mark and the two ring memfds.
bool send_rings(int fd, const ShmRing& requests, const ShmRing& replies) {
  std::array<char, 16> payload{};
  std::memcpy(payload.data(), kHandshakeMagic.data(), kHandshakeMagic.size());
  auto size = static_cast<uint32_t>(requests.capacity());
  std::memcpy(payload.data() + 8, &size, sizeof size);
  std::memcpy(payload.data() + 12, kNoticesFeature.data(), kNoticesFeature.size());
  iovec vector{payload.data(), payload.size()};
  alignas(cmsghdr) std::array<char, CMSG_SPACE(2 * sizeof(int))> control{};
  msghdr message{};
  message.msg_iov = &vector;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  cmsghdr* header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN(2 * sizeof(int));
  std::array<int, 2> fds{requests.fd(), replies.fd()};
  std::memcpy(CMSG_DATA(header), fds.data(), sizeof fds);
  return ::sendmsg(fd, &message, MSG_NOSIGNAL) == static_cast<ssize_t>(payload.size());
}

struct Handshake {
  std::array<int, 2> fds{};
  bool reads_notices = false;
};

/// Receives the handshake; returns the two memfds or raises TRANSIENT.
Handshake receive_rings(int fd, const std::string& path, ByteStream::Clock::time_point deadline) {
  auto fail = [&](const std::string& why) {
    return TRANSIENT(minor::kConnectFailed, CompletionStatus::no,
                     "shared-memory handshake with " + path + " failed: " + why);
  };
  pollfd entry{fd, POLLIN, 0};
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - ByteStream::Clock::now());
  if (::poll(&entry, 1, static_cast<int>(std::max<int64_t>(left.count(), 0))) <= 0) {
    throw fail("no answer in time");
  }
  std::array<char, 16> payload{};
  iovec vector{payload.data(), payload.size()};
  alignas(cmsghdr) std::array<char, CMSG_SPACE(2 * sizeof(int))> control{};
  msghdr message{};
  message.msg_iov = &vector;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  ssize_t count = ::recvmsg(fd, &message, MSG_CMSG_CLOEXEC);
  cmsghdr* header = CMSG_FIRSTHDR(&message);
  if (count != static_cast<ssize_t>(payload.size()) || header == nullptr ||
      header->cmsg_type != SCM_RIGHTS || header->cmsg_len != CMSG_LEN(2 * sizeof(int))) {
    if (header != nullptr && header->cmsg_type == SCM_RIGHTS) {
      size_t received = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      std::vector<int> fds(received);
      std::memcpy(fds.data(), CMSG_DATA(header), received * sizeof(int));
      for (int extra : fds) {
        ::close(extra);
      }
    }
    throw fail("the server refused the connection or sent a malformed handshake");
  }
  std::array<int, 2> fds{};
  std::memcpy(fds.data(), CMSG_DATA(header), sizeof fds);
  if (std::memcmp(payload.data(), kHandshakeMagic.data(), kHandshakeMagic.size()) != 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw fail("wrong handshake magic");
  }
  bool reads_notices =
      std::memcmp(payload.data() + 12, kNoticesFeature.data(), kNoticesFeature.size()) == 0;
  return {fds, reads_notices};
}

class ShmStream final : public ByteStream {
 public:
  ShmStream(int socket_fd, ShmRing requests, ShmRing replies, bool notices)
      : socket_fd_(socket_fd),
        requests_(std::move(requests)),
        replies_(std::move(replies)),
        notices_(notices) {}
  ~ShmStream() override { ::close(socket_fd_); }

  const char* transport() const noexcept override { return "shm"; }
  bool carries_block_notices() const noexcept override { return notices_; }

  std::string write_all(std::span<const uint8_t> bytes, size_t& written) override {
    written = 0;
    if (!recently_alive()) {
      return "the server has gone";
    }
    if (!requests_.write(bytes, [this] { return alive(); })) {
      written = 1;  // part of the message may be in the ring already
      return "the server died while the request was being written";
    }
    requests_.call_reader_if_absent();
    written = bytes.size();
    return {};
  }

  ReadResult read_some(std::span<uint8_t> buffer,
                       std::optional<Clock::time_point> deadline) override {
    std::optional<size_t> count = replies_.read_some(buffer, deadline, [this] { return alive(); });
    if (!count) {
      return ReadResult{0, false, "the server has gone"};
    }
    return ReadResult{*count, *count == 0, {}};
  }

  ReadResult read_into(FunctionRef<void(std::span<const uint8_t>)> sink, std::span<uint8_t> scratch,
                       std::optional<Clock::time_point> deadline) override {
    std::optional<size_t> count =
        replies_.read_into(sink, replies_.capacity(), deadline, [this] { return alive(); });
    (void)scratch;  // the bytes are passed where they lie in the ring
    if (!count) {
      return ReadResult{0, false, "the server has gone"};
    }
    return ReadResult{*count, *count == 0, {}};
  }

  bool idle_peer_spoke() override { return !recently_alive() || replies_.readable(); }

  void shutdown() override {
    closed_ = true;
    ::shutdown(socket_fd_, SHUT_RDWR);
  }

 private:
  bool alive() const { return !closed_ && socket_alive(socket_fd_); }

  /// Checks alive() at most every kAliveCheckInterval, so a busy caller
  /// makes no system call for it. A server that dies in between shows up
  /// when its reply does not come.
  bool recently_alive() {
    if (closed_) {
      return false;
    }
    Clock::rep now = Clock::now().time_since_epoch().count();
    Clock::rep checked = alive_checked_at_.load(std::memory_order_relaxed);
    if (now - checked < Clock::duration(kAliveCheckInterval).count()) {
      return true;
    }
    alive_checked_at_.store(now, std::memory_order_relaxed);
    return alive();
  }

  static constexpr std::chrono::milliseconds kAliveCheckInterval{100};

  int socket_fd_;
  ShmRing requests_;
  ShmRing replies_;
  std::atomic<bool> closed_{false};
  std::atomic<Clock::rep> alive_checked_at_{0};
  bool notices_;
};

}  // namespace

const std::string& host_identity() {
  static const std::string identity = [] {
    std::ifstream file("/proc/sys/kernel/random/boot_id");
    std::string id;
    std::getline(file, id);
    return id;
  }();
  return identity;
}

std::string default_shm_directory() {
  if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime != nullptr && *runtime != 0) {
    return std::string(runtime) + "/orb";
  }
  return "/tmp/orb-" + std::to_string(::getuid());
}

std::unique_ptr<ByteStream> connect_shm(const std::string& socket_path,
                                        std::chrono::milliseconds timeout) {
  auto deadline = ByteStream::Clock::now() + timeout;
  sockaddr_un address = socket_address(socket_path);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    std::string error = std::strerror(errno);
    if (fd >= 0) {
      ::close(fd);
    }
    throw TRANSIENT(minor::kConnectFailed, CompletionStatus::no,
                    "connect to shared-memory socket " + socket_path + " failed: " + error);
  }
  try {
    Handshake handshake = receive_rings(fd, socket_path, deadline);
    ShmRing requests = ShmRing::attach(handshake.fds[0]);
    ShmRing replies = ShmRing::attach(handshake.fds[1]);
    auto stream = std::make_unique<ShmStream>(fd, std::move(requests), std::move(replies),
                                              handshake.reads_notices);
    if (handshake.reads_notices) {
      // Tells the server that replies may carry notices too; it comes
      // before any request, so the first reply already may.
      size_t written = 0;
      std::vector<uint8_t> hello = giop::encode_block_notice({});
      if (std::string error = stream->write_all(hello, written); !error.empty()) {
        throw TRANSIENT(minor::kConnectFailed, CompletionStatus::no,
                        "shared-memory handshake with " + socket_path + " failed: " + error);
      }
    }
    return stream;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

// ---------------------------------------------------------------------------
// Server

struct ShmServer::State {
  State(RequestHandler& handler, ShmServerLimits limits)
      : handler(handler), limits(std::move(limits)) {}

  RequestHandler& handler;
  ShmServerLimits limits;
  std::string path;
  int listen_fd = -1;
  int wake_fd = -1;  // eventfd that ends the accept loop
  std::atomic<bool> stopping{false};
  std::thread acceptor;

  struct Connection {
    int fd;  // -1 once closed; written under `mutex`
    std::thread thread;
    std::atomic<bool> done{false};
  };
  mutable std::mutex mutex;  // guards connections
  std::list<Connection> connections;

  void accept_loop();
  void serve(Connection& connection);
  void serve_messages(int fd, ShmRing& requests, ShmRing& replies);
};

namespace {

bool same_user(int fd) {
  ucred credentials{};
  socklen_t length = sizeof credentials;
  return ::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 &&
         credentials.uid == ::getuid();
}

void prepare_directory(const std::string& directory) {
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) {
    throw NO_RESOURCES(minor::kShmSetupFailed, CompletionStatus::no,
                       "create shared-memory directory " + directory + ": " + std::strerror(errno));
  }
  struct stat status {};
  if (::lstat(directory.c_str(), &status) != 0 || !S_ISDIR(status.st_mode) ||
      status.st_uid != ::getuid() || (status.st_mode & 0077) != 0) {
    throw NO_RESOURCES(minor::kShmSetupFailed, CompletionStatus::no,
                       "shared-memory directory " + directory +
                           " must be a directory owned by this user with mode 0700");
  }
}

}  // namespace

void ShmServer::State::accept_loop() {
  while (!stopping) {
    std::array<pollfd, 2> entries{pollfd{listen_fd, POLLIN, 0}, pollfd{wake_fd, POLLIN, 0}};
    if (::poll(entries.data(), entries.size(), -1) < 0 && errno != EINTR) {
      logger()->error("shared-memory accept loop failed: {}", std::strerror(errno));
      return;
    }
    if (stopping || (entries[0].revents & POLLIN) == 0) {
      continue;
    }
    int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      continue;
    }
    std::lock_guard lock(mutex);
    connections.remove_if([](Connection& finished) {
      if (!finished.done) {
        return false;
      }
      finished.thread.join();
      return true;
    });
    if (!same_user(fd) || connections.size() >= limits.max_connections) {
      logger()->warn("refusing shared-memory client on {}: {}", path,
                     connections.size() >= limits.max_connections ? "too many connections"
                                                                  : "it runs as another user");
      ::close(fd);
      continue;
    }
    Connection& connection = connections.emplace_back();
    connection.fd = fd;
    connection.thread = std::thread([this, &connection] { serve(connection); });
  }
}

void ShmServer::State::serve(Connection& connection) {
  try {
    ShmRing requests = ShmRing::create(limits.ring_size);
    ShmRing replies = ShmRing::create(limits.ring_size);
    if (send_rings(connection.fd, requests, replies)) {
      logger()->debug("shared-memory client connected on {}", path);
      serve_messages(connection.fd, requests, replies);
    }
  } catch (const SystemException& error) {
    logger()->warn("shared-memory connection on {} failed: {}", path, error.what());
  }
  {
    // Under the lock, so that close() never shuts down a descriptor number
    // that the process may already have handed to another socket.
    std::lock_guard lock(mutex);
    ::close(connection.fd);
    connection.fd = -1;
    connection.done = true;
  }
  logger()->debug("shared-memory client on {} disconnected", path);
}

/// One shared-memory connection served by a few threads in leader/followers
/// style. The thread holding the reader role reads the request ring; on a
/// complete request it gives the role up (lowering the ring's
/// reader-present flag), runs the upcall itself, and takes the role back
/// before writing the reply. The other threads sleep on the ring's
/// doorbell, which the client rings only when it writes while no reader is
/// present, so a lone caller is served by one thread with no wake-up, and
/// requests that overlap an upcall still run concurrently, as on TCP.
class ShmSession {
 public:
  ShmSession(int fd, ShmRing& requests, ShmRing& replies, RequestHandler& handler,
             const ShmServerLimits& limits, const std::atomic<bool>& stopping,
             const std::string& path)
      : fd_(fd),
        requests_(requests),
        replies_(replies),
        handler_(handler),
        stopping_(stopping),
        framer_(limits.max_message_size),
        state_("shm client on " + path) {
    framer_.accept_block_notices();
  }

  /// Serves until the client leaves or the server stops, on `threads` threads.
  /// Threads beyond the first start only as requests overlap: one waits
  /// on the doorbell from the start, and a thread that takes the reader
  /// role starts another when none is left waiting.
  void run(size_t threads) {
    {
      std::lock_guard lock(mutex_);
      reader_busy_ = true;
      requests_.set_reader_present(true);
      thread_limit_ = threads;
      threads_started_ = 1;
      start_follower();
    }
    lead();
    follow(false);
    while (true) {
      std::thread helper;
      {
        std::lock_guard lock(mutex_);
        if (helpers_.empty()) {
          break;
        }
        helper = std::move(helpers_.back());
        helpers_.pop_back();
      }
      helper.join();
    }
    std::lock_guard lock(mutex_);
    join_retired();
  }

 private:
  bool alive() const { return !stopping_ && socket_alive(fd_); }

  /// Waits on the doorbell until the reader role is free and requests
  /// wait, then leads; returns when the session has finished. With
  /// `may_retire`, also returns after kIdleLifetime without work while
  /// another thread waits, so that a burst's threads do not all stay.
  void follow(bool may_retire = true) {
    auto idle_since = std::chrono::steady_clock::now();
    while (true) {
      uint32_t seen = requests_.doorbell_count();
      bool leads = false;
      bool serves = false;
      {
        std::lock_guard lock(mutex_);
        if (finished_) {
          return;
        }
        if (!queue_.empty()) {
          serves = true;
          if (waiting_followers_ == 0) {
            start_follower();
          }
        } else if (!reader_busy_ && requests_.readable()) {
          take_reader_role();
          leads = true;
          if (waiting_followers_ == 0) {
            start_follower();
          }
        } else {
          ++waiting_followers_;
        }
      }
      if (serves) {
        bool reading_on = false;
        if (!serve_queue(reading_on)) {
          finish();
        } else if (reading_on) {
          lead();
        }
        idle_since = std::chrono::steady_clock::now();
        continue;
      }
      if (leads) {
        lead();
        idle_since = std::chrono::steady_clock::now();
        continue;
      }
      requests_.wait_doorbell(seen, ShmRing::kLivenessInterval);
      std::lock_guard lock(mutex_);
      --waiting_followers_;
      if (may_retire && !finished_ && waiting_followers_ > 0 &&
          std::chrono::steady_clock::now() - idle_since >= kIdleLifetime) {
        retire_this_thread();
        return;  // touches nothing of the session after the lock is released
      }
    }
  }

  /// Starts one more thread on follow(), below the limit; the caller locks mutex_.
  void start_follower() {
    if (finished_ || threads_started_ >= thread_limit_) {
      return;
    }
    join_retired();
    ++threads_started_;
    helpers_.emplace_back([this] { follow(); });
  }

  /// Moves the calling helper's thread to retired_, for a later join; the
  /// caller locks mutex_. run() may have taken it from helpers_ already to
  /// join it itself.
  void retire_this_thread() {
    --threads_started_;
    auto self = std::find_if(helpers_.begin(), helpers_.end(), [](const std::thread& helper) {
      return helper.get_id() == std::this_thread::get_id();
    });
    if (self != helpers_.end()) {
      retired_.push_back(std::move(*self));
      helpers_.erase(self);
    }
  }

  /// Joins the threads that retired; the caller locks mutex_. They hold
  /// no lock and run no more of the session, so the joins end soon.
  void join_retired() {
    for (std::thread& helper : retired_) {
      helper.join();
    }
    retired_.clear();
  }

  /// Takes the free reader role; the caller locks mutex_.
  void take_reader_role() {
    reader_busy_ = true;
    requests_.set_reader_present(true);
  }

  /// Reads and serves requests while this thread has the reader role.
  void lead() {
    while (true) {
      std::vector<giop::Message> messages;
      if (!read(messages)) {
        finish();
        return;
      }
      size_t requests = giop::count_requests(messages);
      if (requests == 0) {
        for (giop::Message& message : messages) {
          if (!handle_other(message)) {
            finish();
            return;
          }
        }
        continue;
      }
      release_reader_role(std::move(messages), requests);
      bool reading_on = false;
      if (!serve_queue(reading_on)) {
        finish();
        return;
      }
      if (!reading_on) {
        return;
      }
    }
  }

  /// Queues `messages`, which hold `requests` requests, and gives up the
  /// reader role before their upcalls. With more than one request, a
  /// waiting follower is woken to serve the others, so that they do not
  /// wait for the first one's upcall.
  void release_reader_role(std::vector<giop::Message> messages, size_t requests) {
    std::lock_guard lock(mutex_);
    for (giop::Message& message : messages) {
      queue_.push_back(std::move(message));
    }
    reader_busy_ = false;
    requests_.set_reader_present(false);
    // A request written before the flag fell may have found it raised.
    if (requests_.readable() || (requests > 1 && waiting_followers_ > 0)) {
      requests_.ring_doorbell();
    }
  }

  /// Serves the queued messages in order until the queue is empty; false
  /// when the connection must end. Sets `reading_on` when this thread then
  /// has the reader role.
  bool serve_queue(bool& reading_on) {
    reading_on = false;
    std::unique_lock lock(mutex_);
    while (!queue_.empty()) {
      giop::Message message = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      bool is_request = giop::is_request(message);
      HandledRequest handled;
      if (is_request) {
        handled = handler_.handle(message, state_);
        // Before the reply goes out, so that the client's next request
        // finds this thread reading and rings no doorbell.
        reading_on = reclaim_reader_role();
      }
      if (!(is_request ? reply(handled) : handle_other(message))) {
        return false;
      }
      if (reading_on) {
        return true;
      }
      lock.lock();
    }
    return true;
  }

  /// True when this thread has the reader role again; false while
  /// messages wait in the queue.
  bool reclaim_reader_role() {
    std::lock_guard lock(mutex_);
    if (!queue_.empty() || reader_busy_ || finished_) {
      return false;
    }
    take_reader_role();
    return true;
  }

  void finish() {
    {
      std::lock_guard lock(mutex_);
      finished_ = true;
      reader_busy_ = false;
    }
    requests_.ring_doorbell(true);
  }

  /// Reads what the ring holds into complete messages; false when the
  /// connection has ended or sent something malformed.
  bool read(std::vector<giop::Message>& messages) {
    try {
      // The framer copies each byte once, so it may read the ring in place.
      std::optional<size_t> count =
          requests_.read_into([this](std::span<const uint8_t> bytes) { framer_.feed(bytes); },
                              requests_.capacity(), std::nullopt, [this] { return alive(); });
      if (!count) {
        return false;
      }
      while (std::optional<giop::Message> message = framer_.next()) {
        messages.push_back(std::move(*message));
      }
      if (framer_.peer_sent_notice()) {
        client_reads_notices_.store(true, std::memory_order_relaxed);
      }
    } catch (const SystemException& error) {
      logger()->warn("closing {}: {}", state_.peer, error.what());
      write(giop::encode_message_error(giop::kGiop12, cdr::kNativeByteOrder));
      return false;
    }
    return true;
  }

  /// Writes the reply of one request, if any; false when the connection must end.
  bool reply(HandledRequest& handled) {
    if (handled.reply.bytes.empty()) {
      return true;  // oneway
    }
    // The servant wants to learn of a lost reply, so check the client first:
    // a ring with room takes the reply even when no client will read it.
    bool written = (!handled.on_reply_lost || alive()) && write(handled.reply);
    if (!written && handled.on_reply_lost) {
      handled.on_reply_lost();
    }
    return written;
  }

  /// Runs a message other than a request; false when the connection must end.
  bool handle_other(const giop::Message& message) {
    switch (message.header.type) {
      case giop::MessageType::CancelRequest:
        return true;
      case giop::MessageType::CloseConnection:
      case giop::MessageType::MessageError:
        return false;
      default:
        logger()->warn("closing {}: a client sent message type {}", state_.peer,
                       static_cast<int>(message.header.type));
        write(giop::encode_message_error(giop::kGiop12, cdr::kNativeByteOrder));
        return false;
    }
  }

  /// Writes one whole message; the ring has one producer at a time.
  bool write(const giop::OutgoingMessage& message) {
    std::lock_guard lock(write_mutex_);
    auto peer_alive = [this] { return alive(); };
    if (!message.borrowed.empty() && client_reads_notices_.load(std::memory_order_relaxed) &&
        !replies_.write(giop::encode_block_notice(message.block_ranges()), peer_alive)) {
      return false;
    }
    for (std::span<const uint8_t> piece : message.pieces()) {
      if (!replies_.write(piece, peer_alive)) {
        return false;
      }
    }
    return true;
  }

  int fd_;
  ShmRing& requests_;
  ShmRing& replies_;
  RequestHandler& handler_;
  const std::atomic<bool>& stopping_;
  giop::Framer framer_;  // used only by the thread holding the reader role
  ServerConnectionState state_;
  // Set once the client's notice arrived, which comes before its first
  // request, so every reply to it finds it set.
  std::atomic<bool> client_reads_notices_{false};

  std::mutex write_mutex_;

  std::mutex mutex_;                 // guards the members below and the ring's reader-present flag
  std::deque<giop::Message> queue_;  // read and not yet served, in order
  bool reader_busy_ = false;
  bool finished_ = false;
  size_t thread_limit_ = 1;
  size_t threads_started_ = 0;
  size_t waiting_followers_ = 0;
  std::vector<std::thread> helpers_;
  std::vector<std::thread> retired_;  // helpers that ended while the session goes on

  /// How long a helper waits without work before it ends, when another waits too.
  static constexpr std::chrono::seconds kIdleLifetime{2};
};

void ShmServer::State::serve_messages(int fd, ShmRing& requests, ShmRing& replies) {
  ShmSession session(fd, requests, replies, handler, limits, stopping, path);
  session.run(limits.threads_per_connection);
}

ShmServer::ShmServer(RequestHandler& handler, ShmServerLimits limits)
    : state_(std::make_shared<State>(handler, std::move(limits))) {}

ShmServer::~ShmServer() {
  close();
}

std::string ShmServer::listen(const std::string& name) {
  prepare_directory(state_->limits.directory);
  state_->path = state_->limits.directory + "/" + name + ".sock";
  sockaddr_un address = socket_address(state_->path);
  ::unlink(state_->path.c_str());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(fd, 64) != 0) {
    std::string error = std::strerror(errno);
    if (fd >= 0) {
      ::close(fd);
    }
    throw NO_RESOURCES(minor::kShmSetupFailed, CompletionStatus::no,
                       "listen on " + state_->path + ": " + error);
  }
  state_->listen_fd = fd;
  state_->wake_fd = ::eventfd(0, EFD_CLOEXEC);
  state_->acceptor = std::thread([state = state_] { state->accept_loop(); });
  logger()->info("listening for shared-memory clients on {}", state_->path);
  return state_->path;
}

void ShmServer::close() {
  if (state_->listen_fd < 0 || state_->stopping.exchange(true)) {
    return;
  }
  uint64_t one = 1;
  [[maybe_unused]] ssize_t ignored = ::write(state_->wake_fd, &one, sizeof one);
  state_->acceptor.join();
  {
    std::lock_guard lock(state_->mutex);
    for (State::Connection& connection : state_->connections) {
      if (connection.fd >= 0) {
        ::shutdown(connection.fd, SHUT_RDWR);
      }
    }
  }
  // Each connection thread sees `stopping` within one liveness interval.
  for (State::Connection& connection : state_->connections) {
    connection.thread.join();
  }
  state_->connections.clear();
  ::close(state_->listen_fd);
  ::close(state_->wake_fd);
  ::unlink(state_->path.c_str());
}

size_t ShmServer::connection_count() const {
  std::lock_guard lock(state_->mutex);
  size_t active = 0;
  for (const State::Connection& connection : state_->connections) {
    active += connection.done ? 0 : 1;
  }
  return active;
}

}  // namespace orb::detail
