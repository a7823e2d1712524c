// TcpServer: Boost.Asio accepts; each connection is then read with blocking
// recv() by whichever thread holds its reader role (see ServerConnection).
// Replies are written by the thread that ran the upcall, under the
// connection's write mutex.
#include <orb/transport/tcp_server.hpp>

#include <orb/detail/log.hpp>
#include <orb/exception.hpp>
#include <orb/giop/messages.hpp>
#include <orb/minor.hpp>
#include <orb/transport/event_loop_impl.hpp>

#include <spdlog/spdlog.h>
#include <boost/asio/ip/tcp.hpp>
#include <orb/transport/byte_stream.hpp>
#include <orb/transport/spin_budget.hpp>
#include <orb/transport/thread_cache.hpp>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace orb::detail {
namespace {

using boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

std::shared_ptr<spdlog::logger> logger() {
  static std::shared_ptr<spdlog::logger> instance = orb::detail::named_logger("orb.tcp");
  return instance;
}

std::string format_endpoint(const tcp::endpoint& endpoint) {
  std::string address = endpoint.address().to_string();
  if (endpoint.address().is_v6()) {
    address = "[" + address + "]";
  }
  return address + ":" + std::to_string(endpoint.port());
}

/// Splits "tcp://HOST:PORT" into host and port.
std::pair<std::string, uint16_t> parse_endpoint(std::string_view endpoint) {
  auto invalid = [&](std::string_view why) {
    return BAD_PARAM(minor::kBadListenEndpoint, CompletionStatus::no,
                     "listen endpoint '" + std::string(endpoint) + "': " + std::string(why) +
                         "; expected tcp://HOST:PORT, for example tcp://127.0.0.1:2809");
  };
  constexpr std::string_view kScheme = "tcp://";
  if (!endpoint.starts_with(kScheme)) {
    throw invalid("unknown scheme");
  }
  std::string_view rest = endpoint.substr(kScheme.size());
  size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    throw invalid("missing host or port");
  }
  std::string host(rest.substr(0, colon));
  if (host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  unsigned long port = 0;
  std::string digits(rest.substr(colon + 1));
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
      (port = std::stoul(digits)) > 65535) {
    throw invalid("port is not a number from 0 to 65535");
  }
  return {host, static_cast<uint16_t>(port)};
}

}  // namespace

class ServerConnection;

/// Gives a connection another reader when a request arrives while its
/// reader runs a slow upcall (a second caller on a shared connection, a
/// nested callback). One thread per server waits in epoll_wait. Arming a
/// socket for every upcall would cost two epoll_ctl calls per request.
/// Instead, while upcalls run, the thread ticks every kTick and arms only
/// the sockets whose upcall has run longer than kSlowUpcall. After a
/// second without upcalls it dozes until the next upcall nudges it.
class Watcher {
 public:
  static constexpr std::chrono::milliseconds kTick{1};
  static constexpr std::chrono::milliseconds kSlowUpcall{1};

  Watcher();
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  /// Starts the thread: `on_ready(id)` for input on an armed socket,
  /// `on_tick()` every kTick while upcalls run.
  void start(std::function<void(uint64_t)> on_ready, std::function<void()> on_tick);
  void stop();
  /// Registers `fd`, reported as `id`, with nothing watched yet.
  bool add(int fd, uint64_t id);
  /// Reports the next readable event of `fd`, once.
  void arm(int fd, uint64_t id);
  void disarm(int fd, uint64_t id);
  void remove(int fd);

  /// Counts an upcall in; the first after a quiet spell wakes the thread.
  void upcall_started();
  /// Counts an upcall out.
  void upcall_finished() { upcalls_.fetch_sub(1, std::memory_order_relaxed); }

 private:
  void loop();
  /// Decides after a tick whether to doze; true when the thread keeps ticking.
  bool keep_ticking(Clock::time_point& last_busy);

  int epoll_fd_;
  int stop_fd_;
  int nudge_fd_;
  std::function<void(uint64_t)> on_ready_;
  std::function<void()> on_tick_;
  std::atomic<size_t> upcalls_{0};
  std::atomic<bool> dozing_{true};  // the thread starts without ticking
  std::thread thread_;
};

namespace {

constexpr uint64_t kStopEvent = 0;
constexpr uint64_t kNudgeEvent = 1;

}  // namespace

Watcher::Watcher()
    : epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)),
      stop_fd_(::eventfd(0, EFD_CLOEXEC)),
      nudge_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (epoll_fd_ < 0 || stop_fd_ < 0 || nudge_fd_ < 0) {
    throw NO_RESOURCES(
        minor::kServerSetupFailed, CompletionStatus::no,
        std::string("cannot create the connection watcher: ") + std::strerror(errno));
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kStopEvent;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, stop_fd_, &event);
  event.data.u64 = kNudgeEvent;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, nudge_fd_, &event);
}

Watcher::~Watcher() {
  stop();
  ::close(epoll_fd_);
  ::close(stop_fd_);
  ::close(nudge_fd_);
}

void Watcher::start(std::function<void(uint64_t)> on_ready, std::function<void()> on_tick) {
  on_ready_ = std::move(on_ready);
  on_tick_ = std::move(on_tick);
  thread_ = std::thread([this] { loop(); });
}

void Watcher::stop() {
  if (thread_.joinable()) {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t written = ::write(stop_fd_, &one, sizeof one);
    thread_.join();
  }
}

void Watcher::upcall_started() {
  upcalls_.fetch_add(1, std::memory_order_seq_cst);
  // Pairs with keep_ticking(): either it counts this upcall, or this finds it dozing.
  if (dozing_.load(std::memory_order_seq_cst) && dozing_.exchange(false)) {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t written = ::write(nudge_fd_, &one, sizeof one);
  }
}

bool Watcher::add(int fd, uint64_t id) {
  epoll_event event{};
  event.events = EPOLLONESHOT;  // registered, reports nothing until armed
  event.data.u64 = id;
  return ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) == 0;
}

void Watcher::arm(int fd, uint64_t id) {
  epoll_event event{};
  event.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
  event.data.u64 = id;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event);
}

void Watcher::disarm(int fd, uint64_t id) {
  epoll_event event{};
  event.events = EPOLLONESHOT;
  event.data.u64 = id;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event);
}

void Watcher::remove(int fd) {
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
}

void Watcher::loop() {
  std::array<epoll_event, 32> events;
  bool ticking = false;
  Clock::time_point last_busy = Clock::now();
  while (true) {
    int timeout = ticking ? static_cast<int>(kTick.count()) : -1;
    int count = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), timeout);
    if (count < 0 && errno != EINTR) {
      logger()->error("connection watcher stopped: {}", std::strerror(errno));
      return;
    }
    for (int i = 0; i < count; ++i) {
      if (events[i].data.u64 == kStopEvent) {
        return;
      }
      if (events[i].data.u64 == kNudgeEvent) {
        uint64_t ignored = 0;
        [[maybe_unused]] ssize_t bytes = ::read(nudge_fd_, &ignored, sizeof ignored);
        ticking = true;
        last_busy = Clock::now();
        continue;
      }
      on_ready_(events[i].data.u64);
    }
    if (ticking) {
      on_tick_();
      ticking = keep_ticking(last_busy);
    }
  }
}

bool Watcher::keep_ticking(Clock::time_point& last_busy) {
  Clock::time_point now = Clock::now();
  if (upcalls_.load(std::memory_order_relaxed) > 0) {
    last_busy = now;
    return true;
  }
  if (now - last_busy < std::chrono::seconds(1)) {
    return true;
  }
  dozing_.store(true, std::memory_order_seq_cst);
  if (upcalls_.load(std::memory_order_seq_cst) > 0 && dozing_.exchange(false)) {
    return true;  // an upcall started meanwhile and did not nudge
  }
  return false;
}

struct TcpServer::State : std::enable_shared_from_this<TcpServer::State> {
  State(EventLoop& loop, RequestHandler& handler, TcpServerLimits limits)
      : io(loop.impl().io), handler(handler), limits(limits) {}

  boost::asio::io_context& io;
  RequestHandler& handler;
  TcpServerLimits limits;
  ThreadCache threads;
  Watcher watcher;

  mutable std::mutex mutex;  // guards acceptors, connections, next_id and closed
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::unordered_map<uint64_t, std::shared_ptr<ServerConnection>> connections;
  uint64_t next_id = 2;  // 0 and 1 are the watcher's own events
  bool closed = false;

  void accept(tcp::acceptor& acceptor);
  void on_accept(tcp::acceptor& acceptor, tcp::socket socket);
  void on_ready(uint64_t id);
  void on_tick();
  void forget(uint64_t id);
};

/// One client connection. Its reader role passes between threads: the
/// thread holding it blocks in recv(), and on a complete request gives the
/// role up and runs the upcall itself. When the upcall ends and no other
/// thread took the role meanwhile, the same thread reads on, so a lone
/// client is served by one thread with no hand-off, as with a thread per
/// connection. A request that arrives during a slow upcall
/// wakes the watcher, which starts another reader.
class ServerConnection : public std::enable_shared_from_this<ServerConnection> {
 public:
  ServerConnection(int fd, uint64_t id, std::string peer, TcpServer::State& server)
      : fd_(fd),
        id_(id),
        peer_(std::move(peer)),
        state_(peer_),
        server_(server),
        framer_(server.limits.max_message_size),
        buffer_(64 * 1024) {}

  ~ServerConnection() { ::close(fd_); }

  const std::string& peer() const noexcept { return peer_; }

  /// Takes the reader role on a thread of the cache.
  void start() {
    touch();
    timeval timeout{};
    timeout.tv_sec = std::min<long>(server_.limits.idle_timeout.count(), 3600);
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    {
      std::lock_guard lock(flow_mutex_);
      reader_busy_ = true;
      closed_ = !server_.watcher.add(fd_, id_);
    }
    if (closed_) {
      logger()->warn("closing connection from {}: cannot watch it: {}", peer_,
                     std::strerror(errno));
      finish();
      return;
    }
    if (!server_.threads.run([self = shared_from_this()] { self->read_loop(); })) {
      finish();
    }
  }

  /// Called by the watcher: input arrived while no thread was reading.
  void on_ready() {
    {
      std::lock_guard lock(flow_mutex_);
      if (!watched_) {
        return;
      }
      watched_ = false;
      if (reader_busy_ || closed_) {
        return;
      }
      reader_busy_ = true;  // the one-shot event has disarmed the watch
    }
    if (!server_.threads.run([self = shared_from_this()] { self->read_loop(); })) {
      finish();
    }
  }

  /// Writes a whole message; a failure closes the connection. With
  /// `unless_peer_closed`, writes nothing when the client has already
  /// closed its end. Returns whether the message was written.
  bool write(const giop::OutgoingMessage& message, bool unless_peer_closed = false) {
    std::lock_guard lock(write_mutex_);
    if (write_failed_ || (unless_peer_closed && peer_closed())) {
      return false;
    }
    size_t written = 0;
    if (int error = send_pieces(fd_, message.pieces(), written, [] { return false; }); error != 0) {
      logger()->debug("write to {} failed: {}", peer_, std::strerror(error));
      write_failed_ = true;
      shutdown();
      return false;
    }
    return true;
  }

  /// Ends both directions; the blocked reader then sees end of stream.
  void shutdown() { ::shutdown(fd_, SHUT_RDWR); }

  /// True when the client has closed or reset its end. Costs one poll().
  bool peer_closed() {
    pollfd entry{fd_, POLLRDHUP, 0};
    return ::poll(&entry, 1, 0) > 0 && (entry.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
  }

  void close_gracefully() {
    write(giop::encode_close_connection(giop::kGiop12, cdr::kNativeByteOrder));
    shutdown();
  }

 private:
  /// Reads and serves requests while this thread has the reader role.
  void read_loop() {
    while (true) {
      std::vector<giop::Message> messages;
      if (!read_messages(messages)) {
        finish();
        return;
      }
      size_t requests = giop::count_requests(messages);
      if (requests == 0) {
        for (giop::Message& message : messages) {
          if (!defer_close(message)) {
            handle_other(message);
          }
        }
        continue;
      }
      release_reader(std::move(messages), requests);
      if (!serve_queue()) {
        return;
      }
    }
  }

  /// Serves the queued messages in order until the queue is empty. Other
  /// threads may serve from the same queue when an upcall is slow (see
  /// watch_if_slow()). Returns true when this thread then has the reader role.
  bool serve_queue() {
    std::unique_lock lock(flow_mutex_);
    while (!queue_.empty()) {
      if (giop::is_request(queue_.front()) &&
          upcalls_running_ >= server_.limits.max_requests_per_connection) {
        return false;  // the threads in those upcalls serve the queue when they end
      }
      giop::Message message = std::move(queue_.front());
      queue_.pop_front();
      if (!giop::is_request(message)) {
        if (defer_close_locked(message)) {
          continue;
        }
        lock.unlock();
        handle_other(message);
        lock.lock();
        continue;
      }
      last_upcall_start_ = Clock::now();
      ++upcalls_running_;
      lock.unlock();
      server_.watcher.upcall_started();
      HandledRequest handled = server_.handler.handle(message, state_);
      // Before the reply goes out, so that the client's next request finds
      // this thread reading.
      bool reading_on = reclaim_reader();
      send_reply(handled);
      if (std::optional<giop::Message> close = end_upcall()) {
        handle_other(*close);
      }
      if (reading_on) {
        return true;
      }
      lock.lock();
    }
    // A message other than a request can end the queue, and then no upcall
    // took the reader role back. Take it if free, or no thread reads on.
    return take_reader_role_locked();
  }

  /// Keeps `message` for the last running upcall to handle when it closes
  /// the connection while upcalls run, so that the requests read before it
  /// reply first. Returns true when kept.
  bool defer_close(giop::Message& message) {
    std::lock_guard lock(flow_mutex_);
    return defer_close_locked(message);
  }

  /// As defer_close(); the caller locks flow_mutex_.
  bool defer_close_locked(giop::Message& message) {
    if (message.header.type == giop::MessageType::CancelRequest || upcalls_running_ == 0) {
      return false;
    }
    if (!deferred_close_) {
      deferred_close_ = std::move(message);
    }
    return true;
  }

  /// Counts an upcall out once its reply went out. Returns the message that
  /// closes the connection when it waited for the last running upcall.
  std::optional<giop::Message> end_upcall() {
    std::lock_guard lock(flow_mutex_);
    if (--upcalls_running_ > 0) {
      return std::nullopt;
    }
    return std::exchange(deferred_close_, std::nullopt);
  }

  /// Reads until at least one whole message is framed; false when the
  /// connection has ended.
  bool read_messages(std::vector<giop::Message>& messages) {
    while (messages.empty()) {
      // Spinning first keeps this CPU awake for the client's next request.
      Clock::time_point start = Clock::now();
      ssize_t count =
          receive_spinning(fd_, buffer_, start, Clock::time_point::max(), spin_history_);
      if (count < 0 && errno == EAGAIN) {
        count = ::recv(fd_, buffer_.data(), buffer_.size(), 0);
        if (count > 0) {
          spin_history_.record_wait(fd_, Clock::now() - start);
        }
      }
      if (count == 0) {
        return false;
      }
      if (count < 0) {
        if (errno == EINTR) {
          continue;
        }
        if ((errno == EAGAIN || errno == EWOULDBLOCK) && !idle_too_long()) {
          continue;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNRESET) {
          logger()->debug("read from {} failed: {}", peer_, std::strerror(errno));
        }
        return false;
      }
      touch();
      try {
        framer_.feed(std::span<const uint8_t>(buffer_.data(), static_cast<size_t>(count)));
        while (std::optional<giop::Message> message = framer_.next()) {
          messages.push_back(std::move(*message));
        }
      } catch (const SystemException& failure) {
        logger()->warn("closing connection from {}: {}", peer_, failure.what());
        write(giop::encode_message_error(giop::kGiop12, cdr::kNativeByteOrder));
        shutdown();
        return false;
      }
    }
    return true;
  }

  /// On a receive timeout: closes an idle connection with CloseConnection
  /// and returns true; false while requests are in progress or traffic was
  /// recent.
  bool idle_too_long() {
    Clock::duration quiet =
        Clock::now().time_since_epoch() - Clock::duration(last_activity_.load());
    {
      std::lock_guard lock(flow_mutex_);
      if (in_flight_ > 0 || quiet < server_.limits.idle_timeout) {
        return false;
      }
    }
    logger()->debug("closing connection from {}: idle for {} s", peer_,
                    std::chrono::duration_cast<std::chrono::seconds>(quiet).count());
    close_gracefully();
    return true;
  }

  /// Queues `messages`, which hold `requests` requests, counts those in and
  /// gives up the reader role before their upcalls. The watcher arms the
  /// socket if they run long.
  void release_reader(std::vector<giop::Message> messages, size_t requests) {
    std::lock_guard lock(flow_mutex_);
    for (giop::Message& message : messages) {
      queue_.push_back(std::move(message));
    }
    in_flight_ += requests;
    reader_busy_ = false;
    released_at_ = Clock::now();
  }

 public:
  /// Called by the watcher on each tick. When no upcall of this connection
  /// has started for longer than a slow upcall while requests wait in the
  /// queue, starts a thread on the queue, unless the connection already runs
  /// as many upcalls as it may at once. When the reader role has been free
  /// that long, arms the socket, so that a request arriving now gets a
  /// reader of its own.
  void watch_if_slow(Clock::time_point now) {
    bool queue_stuck = false;
    {
      std::lock_guard lock(flow_mutex_);
      if (closed_) {
        return;
      }
      if (!queue_.empty() && upcalls_running_ < server_.limits.max_requests_per_connection &&
          now - last_upcall_start_ >= Watcher::kSlowUpcall) {
        // Counts as a start, so that the next thread follows only if this
        // one is stuck too.
        last_upcall_start_ = now;
        queue_stuck = true;
      }
      if (!reader_busy_ && !watched_ && in_flight_ > 0 &&
          in_flight_ < server_.limits.max_requests_per_connection &&
          now - released_at_ >= Watcher::kSlowUpcall) {
        watched_ = true;
        server_.watcher.arm(fd_, id_);
      }
    }
    if (queue_stuck) {
      server_.threads.run([self = shared_from_this()] {
        if (self->serve_queue()) {
          self->read_loop();
        }
      });
    }
  }

 private:
  /// Counts one request out and returns true when this thread takes the
  /// reader role back. It does not while requests wait in the queue, while
  /// another thread has the role, or once the connection is closed.
  bool reclaim_reader() {
    server_.watcher.upcall_finished();
    std::lock_guard lock(flow_mutex_);
    --in_flight_;
    touch();
    return queue_.empty() && take_reader_role_locked();
  }

  /// Takes the reader role unless another thread has it or the connection
  /// is closed; the caller locks flow_mutex_.
  bool take_reader_role_locked() {
    if (reader_busy_ || closed_) {
      return false;
    }
    reader_busy_ = true;
    if (watched_) {
      watched_ = false;
      server_.watcher.disarm(fd_, id_);
    }
    return true;
  }

  void touch() { last_activity_.store(Clock::now().time_since_epoch().count()); }

  void send_reply(HandledRequest& handled) {
    if (handled.reply.bytes.empty()) {
      return;  // oneway
    }
    bool written = write(handled.reply, static_cast<bool>(handled.on_reply_lost));
    if (!written && handled.on_reply_lost) {
      handled.on_reply_lost();
    }
  }

  /// Any message other than a Request or LocateRequest.
  void handle_other(const giop::Message& message) {
    switch (message.header.type) {
      case giop::MessageType::CancelRequest:
        return;  // NOTE: the upcall runs to completion; only its reply is still sent
      case giop::MessageType::CloseConnection:
      case giop::MessageType::MessageError:
        logger()->debug("{} sent message type {}; closing", peer_,
                        static_cast<int>(message.header.type));
        shutdown();
        return;
      default:
        logger()->warn("closing connection from {}: a client sent message type {}", peer_,
                       static_cast<int>(message.header.type));
        write(giop::encode_message_error(giop::kGiop12, cdr::kNativeByteOrder));
        shutdown();
        return;
    }
  }

  /// Ends the connection once its reader has seen end of stream or an error.
  void finish() {
    {
      std::lock_guard lock(flow_mutex_);
      closed_ = true;
      reader_busy_ = false;
      watched_ = false;
    }
    server_.watcher.remove(fd_);
    shutdown();
    logger()->debug("connection from {} closed", peer_);
    server_.forget(id_);
  }

  int fd_;
  uint64_t id_;
  std::string peer_;
  ServerConnectionState state_;
  TcpServer::State& server_;
  giop::Framer framer_;          // used only by the thread holding the reader role
  std::vector<uint8_t> buffer_;  // likewise
  SpinHistory spin_history_;     // likewise
  std::mutex write_mutex_;       // serialises whole replies on the socket
  bool write_failed_ = false;    // guarded by write_mutex_

  std::mutex flow_mutex_;            // guards the queue, the four flags and the counts below
  std::deque<giop::Message> queue_;  // read and not yet served, in order
  Clock::time_point last_upcall_start_;
  size_t in_flight_ = 0;           // requests queued or in their upcalls
  bool reader_busy_ = false;       // a thread has the reader role
  bool watched_ = false;           // the watcher waits for input on this socket
  Clock::time_point released_at_;  // when the reader role was last given up
  bool closed_ = false;

  // Also guarded by flow_mutex_.
  size_t upcalls_running_ = 0;                   // upcalls whose reply has not gone out yet
  std::optional<giop::Message> deferred_close_;  // handled when upcalls_running_ falls to 0

  std::atomic<Clock::rep> last_activity_{0};
};

void TcpServer::State::accept(tcp::acceptor& acceptor) {
  acceptor.async_accept(
      [self = shared_from_this(), &acceptor](boost::system::error_code error, tcp::socket socket) {
        if (error) {
          if (error != boost::asio::error::operation_aborted) {
            logger()->warn("accept failed: {}", error.message());
            self->accept(acceptor);
          }
          return;
        }
        self->on_accept(acceptor, std::move(socket));
        self->accept(acceptor);
      });
}

void TcpServer::State::on_accept(tcp::acceptor& acceptor, tcp::socket socket) {
  boost::system::error_code error;
  tcp::endpoint remote = socket.remote_endpoint(error);
  std::string peer = error ? "unknown peer" : format_endpoint(remote);
  socket.set_option(tcp::no_delay(true), error);
  std::shared_ptr<ServerConnection> connection;
  {
    std::lock_guard lock(mutex);
    if (closed) {
      return;
    }
    if (connections.size() >= limits.max_connections) {
      logger()->warn("rejecting connection from {} on {}: {} connections is the maximum", peer,
                     format_endpoint(acceptor.local_endpoint(error)), limits.max_connections);
      return;  // the socket closes when it goes out of scope
    }
    int fd = socket.release(error);
    if (error) {
      logger()->warn("dropping connection from {}: {}", peer, error.message());
      return;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    uint64_t id = next_id++;
    connection = std::make_shared<ServerConnection>(fd, id, peer, *this);
    connections.emplace(id, connection);
  }
  logger()->debug("accepted connection from {}", peer);
  connection->start();
}

void TcpServer::State::on_ready(uint64_t id) {
  std::shared_ptr<ServerConnection> connection;
  {
    std::lock_guard lock(mutex);
    auto found = connections.find(id);
    if (found == connections.end()) {
      return;
    }
    connection = found->second;
  }
  connection->on_ready();
}

void TcpServer::State::on_tick() {
  std::vector<std::shared_ptr<ServerConnection>> open;
  {
    std::lock_guard lock(mutex);
    open.reserve(connections.size());
    for (const auto& [id, connection] : connections) {
      open.push_back(connection);
    }
  }
  Clock::time_point now = Clock::now();
  for (const std::shared_ptr<ServerConnection>& connection : open) {
    connection->watch_if_slow(now);
  }
}

void TcpServer::State::forget(uint64_t id) {
  std::lock_guard lock(mutex);
  connections.erase(id);
}

TcpServer::TcpServer(EventLoop& loop, RequestHandler& handler, TcpServerLimits limits)
    : state_(std::make_shared<State>(loop, handler, limits)) {
  state_->watcher.start([state = state_.get()](uint64_t id) { state->on_ready(id); },
                        [state = state_.get()] { state->on_tick(); });
}

TcpServer::~TcpServer() {
  close();
  // Upcalls in progress finish first: they use the handler, which the
  // owner destroys after this server.
  wait();
  std::lock_guard lock(state_->mutex);
  state_->connections.clear();
}

void TcpServer::wait() {
  state_->watcher.stop();
  state_->threads.stop();
}

ListenAddress TcpServer::listen(std::string_view endpoint) {
  auto [host, port] = parse_endpoint(endpoint);
  boost::system::error_code error;
  boost::asio::ip::address address = boost::asio::ip::make_address(host, error);
  if (error) {
    tcp::resolver resolver(state_->io);
    auto results = resolver.resolve(host, std::to_string(port), error);
    if (error || results.empty()) {
      throw BAD_PARAM(minor::kBadListenEndpoint, CompletionStatus::no,
                      "listen endpoint '" + std::string(endpoint) + "': cannot resolve " + host);
    }
    address = results.begin()->endpoint().address();
  }
  auto acceptor = std::make_unique<tcp::acceptor>(state_->io);
  tcp::endpoint local(address, port);
  acceptor->open(local.protocol(), error);
  if (!error) {
    acceptor->set_option(tcp::acceptor::reuse_address(true), error);
    acceptor->bind(local, error);
  }
  if (!error) {
    acceptor->listen(boost::asio::socket_base::max_listen_connections, error);
  }
  if (error) {
    throw TRANSIENT(minor::kBadListenEndpoint, CompletionStatus::no,
                    "listen on " + std::string(endpoint) + " failed: " + error.message());
  }
  ListenAddress bound{host, acceptor->local_endpoint().port()};
  logger()->info("listening on {}", format_endpoint(acceptor->local_endpoint()));
  std::lock_guard lock(state_->mutex);
  state_->accept(*acceptor);
  state_->acceptors.push_back(std::move(acceptor));
  return bound;
}

void TcpServer::close() {
  std::vector<std::shared_ptr<ServerConnection>> connections;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->closed) {
      return;
    }
    state_->closed = true;
    for (auto& acceptor : state_->acceptors) {
      boost::system::error_code ignored;
      acceptor->close(ignored);
    }
    for (const auto& [id, connection] : state_->connections) {
      connections.push_back(connection);
    }
  }
  for (const auto& connection : connections) {
    connection->close_gracefully();
  }
}

size_t TcpServer::connection_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->connections.size();
}

}  // namespace orb::detail
