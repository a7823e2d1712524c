// TcpServer on Boost.Asio: an accept loop per endpoint and a read loop per
// connection. Replies are written synchronously by the thread that ran the
// upcall, under the connection's write mutex.
#include <orb/transport/tcp_server.hpp>

#include <orb/detail/log.hpp>
#include <orb/exception.hpp>
#include <orb/giop/messages.hpp>
#include <orb/minor.hpp>
#include <orb/transport/event_loop_impl.hpp>

#include <spdlog/spdlog.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <atomic>
#include <mutex>
#include <set>

#include <poll.h>

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

struct TcpServer::State : std::enable_shared_from_this<TcpServer::State> {
  State(EventLoop& loop, RequestHandler& handler, TcpServerLimits limits)
      : io(loop.impl().io), handler(handler), limits(limits) {}

  boost::asio::io_context& io;
  RequestHandler& handler;
  TcpServerLimits limits;

  std::mutex mutex;  // guards acceptors, connections and closed
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::set<std::shared_ptr<ServerConnection>> connections;
  bool closed = false;

  void accept(tcp::acceptor& acceptor);
  void on_accept(tcp::acceptor& acceptor, tcp::socket socket);
  void forget(const std::shared_ptr<ServerConnection>& connection);
};

class ServerConnection : public std::enable_shared_from_this<ServerConnection> {
 public:
  ServerConnection(tcp::socket socket, std::string peer, std::weak_ptr<TcpServer::State> server,
                   RequestHandler& handler, const TcpServerLimits& limits)
      : socket_(std::move(socket)),
        peer_(std::move(peer)),
        state_(peer_),
        server_(std::move(server)),
        handler_(handler),
        limits_(limits),
        framer_(limits.max_message_size),
        idle_timer_(socket_.get_executor()) {}

  const std::string& peer() const noexcept { return peer_; }

  void start() {
    touch();
    arm_idle_timer(limits_.idle_timeout);
    read();
  }

  /// Writes a whole message; a failure closes the connection. With
  /// `unless_peer_closed`, writes nothing when the client has already
  /// closed its end. Returns whether the message was written.
  bool write(const std::vector<uint8_t>& bytes, bool unless_peer_closed = false) {
    std::lock_guard lock(write_mutex_);
    if (!socket_.is_open() || (unless_peer_closed && peer_closed())) {
      return false;
    }
    boost::system::error_code error;
    boost::asio::write(socket_, boost::asio::buffer(bytes), error);
    if (error) {
      logger()->debug("write to {} failed: {}", peer_, error.message());
      shutdown();
      return false;
    }
    return true;
  }

  /// Ends both directions; the pending read then completes and closes the socket.
  void shutdown() {
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
  }

  /// True when the client has closed or reset its end, even if the read
  /// that will report it has not completed yet. Costs one poll().
  bool peer_closed() {
    pollfd entry{socket_.native_handle(), POLLRDHUP, 0};
    return ::poll(&entry, 1, 0) > 0 && (entry.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
  }

  void close_gracefully() {
    write(giop::encode_close_connection(giop::kGiop12, cdr::kNativeByteOrder));
    shutdown();
  }

 private:
  void read() {
    socket_.async_read_some(
        boost::asio::buffer(buffer_),
        [self = shared_from_this()](boost::system::error_code error, size_t count) {
          self->on_read(error, count);
        });
  }

  void on_read(boost::system::error_code error, size_t count) {
    if (error) {
      finish(error);
      return;
    }
    touch();
    std::vector<giop::Message> messages;
    try {
      framer_.feed(std::span<const uint8_t>(buffer_.data(), count));
      while (std::optional<giop::Message> message = framer_.next()) {
        messages.push_back(std::move(*message));
      }
    } catch (const SystemException& failure) {
      logger()->warn("closing connection from {}: {}", peer_, failure.what());
      write(giop::encode_message_error(giop::kGiop12, cdr::kNativeByteOrder));
      shutdown();
      read();  // drains to end of stream, then closes
      return;
    }
    if (admit(messages)) {
      read();  // another thread may take the next request while this one runs the upcalls
    }
    for (const giop::Message& message : messages) {
      handle(message);
      if (is_request(message) && complete_request()) {
        read();
      }
    }
  }

  static bool is_request(const giop::Message& message) {
    return message.header.type == giop::MessageType::Request ||
           message.header.type == giop::MessageType::LocateRequest;
  }

  /// Counts the new requests in; returns false when reading must pause
  /// because the connection has reached its limit of requests in progress.
  bool admit(const std::vector<giop::Message>& messages) {
    std::lock_guard lock(flow_mutex_);
    for (const giop::Message& message : messages) {
      in_flight_ += is_request(message) ? 1 : 0;
    }
    if (in_flight_ >= limits_.max_requests_per_connection) {
      read_paused_ = true;
      return false;
    }
    return true;
  }

  /// Counts a finished request out; returns true when a paused read must resume.
  bool complete_request() {
    std::lock_guard lock(flow_mutex_);
    --in_flight_;
    touch();
    if (read_paused_ && in_flight_ < limits_.max_requests_per_connection) {
      read_paused_ = false;
      return true;
    }
    return false;
  }

  void touch() { last_activity_.store(Clock::now().time_since_epoch().count()); }

  void arm_idle_timer(Clock::duration delay) {
    std::lock_guard lock(timer_mutex_);
    if (closed_) {
      return;
    }
    idle_timer_.expires_after(delay);
    idle_timer_.async_wait([self = shared_from_this()](boost::system::error_code error) {
      if (!error) {
        self->check_idle();
      }
    });
  }

  void check_idle() {
    Clock::duration quiet =
        Clock::now().time_since_epoch() - Clock::duration(last_activity_.load());
    bool busy = false;
    {
      std::lock_guard lock(flow_mutex_);
      busy = in_flight_ > 0;
    }
    if (!busy && quiet >= limits_.idle_timeout) {
      logger()->debug("closing connection from {}: idle for {} s", peer_,
                      std::chrono::duration_cast<std::chrono::seconds>(quiet).count());
      close_gracefully();
      return;
    }
    arm_idle_timer(busy ? Clock::duration(limits_.idle_timeout) : limits_.idle_timeout - quiet);
  }

  void handle(const giop::Message& message) {
    switch (message.header.type) {
      case giop::MessageType::Request:
      case giop::MessageType::LocateRequest: {
        HandledRequest handled = handler_.handle(message, state_);
        if (handled.reply.empty()) {
          return;
        }
        bool written = write(handled.reply, static_cast<bool>(handled.on_reply_lost));
        if (!written && handled.on_reply_lost) {
          handled.on_reply_lost();
        }
        return;
      }
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

  void finish(boost::system::error_code error) {
    if (error != boost::asio::error::eof && error != boost::asio::error::operation_aborted &&
        error != boost::asio::error::connection_reset) {
      logger()->debug("read from {} failed: {}", peer_, error.message());
    }
    {
      std::lock_guard lock(timer_mutex_);
      closed_ = true;
      idle_timer_.cancel();
    }
    {
      // A reply may be in the middle of its write on another thread.
      std::lock_guard lock(write_mutex_);
      boost::system::error_code ignored;
      socket_.close(ignored);
    }
    if (std::shared_ptr<TcpServer::State> server = server_.lock()) {
      server->forget(shared_from_this());
    }
  }

  tcp::socket socket_;
  std::string peer_;
  ServerConnectionState state_;
  std::weak_ptr<TcpServer::State> server_;
  RequestHandler& handler_;
  TcpServerLimits limits_;
  giop::Framer framer_;  // used only by the thread that completed the current read
  std::array<uint8_t, 64 * 1024> buffer_{};
  std::mutex write_mutex_;  // serialises whole replies on the socket

  std::mutex flow_mutex_;  // guards in_flight_ and read_paused_
  size_t in_flight_ = 0;
  bool read_paused_ = false;
  std::atomic<Clock::rep> last_activity_{0};

  std::mutex timer_mutex_;  // guards idle_timer_ and closed_
  boost::asio::steady_timer idle_timer_;
  bool closed_ = false;
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
    connection = std::make_shared<ServerConnection>(std::move(socket), peer, weak_from_this(),
                                                    handler, limits);
    connections.insert(connection);
  }
  logger()->debug("accepted connection from {}", peer);
  connection->start();
}

void TcpServer::State::forget(const std::shared_ptr<ServerConnection>& connection) {
  std::lock_guard lock(mutex);
  connections.erase(connection);
}

TcpServer::TcpServer(EventLoop& loop, RequestHandler& handler, TcpServerLimits limits)
    : state_(std::make_shared<State>(loop, handler, limits)) {}

TcpServer::~TcpServer() {
  close();
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
  std::set<std::shared_ptr<ServerConnection>> connections;
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
    connections = state_->connections;
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
