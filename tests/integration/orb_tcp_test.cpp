// The ORB core over real TCP sockets on 127.0.0.1 and over shared-memory
// rings: a server ORB and a client ORB in one process, talking through the
// hand-written Calculator proxy and skeleton. Every OrbCall test runs over
// both transports.
#include "calculator.hpp"

#include <orb/giop/messages.hpp>
#include <orb/ior/iiop_profile.hpp>
#include <orb/ior/ior.hpp>
#include <orb/ior/shm_component.hpp>
#include <orb/orb.hpp>
#include <orb/transport/spin_budget.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <future>
#include <optional>
#include <span>
#include <stdexcept>
#include <thread>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace {

using namespace std::chrono_literals;

class CalculatorImpl final : public Calc::CalculatorServant {
 public:
  int32_t add(int32_t a, int32_t b) override { return a + b; }
  int32_t divide(int32_t a, int32_t b) override {
    if (b == 0) {
      throw Calc::DivideByZero("division by zero", a);
    }
    if (b == -1) {
      throw std::runtime_error("not a CORBA exception");
    }
    if (b == -2) {
      throw orb::NO_PERMISSION(7, orb::CompletionStatus::yes, "no");
    }
    return a / b;
  }
  std::vector<uint8_t> echo(const std::vector<uint8_t>& data) override { return data; }
  void sleep(uint32_t milliseconds) override {
    int32_t now = sleeping_.fetch_add(1) + 1;
    int32_t max = max_sleeping_.load();
    while (now > max && !max_sleeping_.compare_exchange_weak(max, now)) {
      // A failed exchange loaded the newer maximum into `max`.
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
    sleeping_.fetch_sub(1);
  }
  void remember(int32_t value) override { memory_ = value; }
  int32_t recall() override { return memory_; }
  /// Returns the maximum number of sleep() upcalls that ran at once so far.
  int32_t max_sleeping() const { return max_sleeping_.load(); }

 private:
  std::atomic<int32_t> memory_{0};
  std::atomic<int32_t> sleeping_{0};
  std::atomic<int32_t> max_sleeping_{0};
};

orb::OrbOptions server_options(const std::string& endpoint = "tcp://127.0.0.1:0") {
  orb::OrbOptions options;
  options.listen = {endpoint};
  options.log_level = "warn";
  return options;
}

orb::OrbOptions client_options(const std::string& shm = "off") {
  orb::OrbOptions options;
  options.shm = shm;
  options.log_level = "warn";
  options.call_timeout = 10s;
  return options;
}

/// "tcp" or "shm": which transport the client must use.
class OrbCall : public ::testing::TestWithParam<std::string> {
 protected:
  OrbCall()
      : server_(server_options()), client_(client_options(GetParam() == "shm" ? "only" : "off")) {
    ObjectRef served = server_.adapter().activate(std::make_shared<CalculatorImpl>(), "calc");
    calculator_ = Calc::Calculator::_unchecked_narrow(
        client_.string_to_object(server_.object_to_string(served)));
  }

  void TearDown() override {
    orb::TransportStatistics statistics = client_.statistics();
    if (GetParam() == "shm") {
      EXPECT_EQ(statistics.tcp_calls, 0U);
    } else {
      EXPECT_EQ(statistics.shm_calls, 0U);
    }
  }

  using ObjectRef = orb::ObjectRef;
  orb::Orb server_;
  orb::Orb client_;
  std::shared_ptr<Calc::Calculator> calculator_;
};

TEST_P(OrbCall, SynchronousCall) {
  EXPECT_EQ(calculator_->add(2, 40), 42);
}

TEST_P(OrbCall, UserExceptionCarriesMembers) {
  try {
    calculator_->divide(7, 0);
    FAIL() << "no exception";
  } catch (const Calc::DivideByZero& error) {
    EXPECT_EQ(error.what_, "division by zero");
    EXPECT_EQ(error.dividend, 7);
  }
}

TEST_P(OrbCall, ServantSystemExceptionKeepsMinorAndStatus) {
  try {
    calculator_->divide(1, -2);
    FAIL() << "no exception";
  } catch (const orb::NO_PERMISSION& error) {
    EXPECT_EQ(error.minor(), 7U);
    EXPECT_EQ(error.completed(), orb::CompletionStatus::yes);
    // The wire form carries no text, so the client names the operation.
    EXPECT_NE(error.message().find("for operation 'divide'"), std::string::npos) << error.message();
  }
}

TEST_P(OrbCall, NonCorbaExceptionBecomesUnknown) {
  EXPECT_THROW(calculator_->divide(1, -1), orb::UNKNOWN);
}

TEST_P(OrbCall, UnknownObjectIsObjectNotExist) {
  auto missing =
      Calc::Calculator::_unchecked_narrow(client_.string_to_object(server_.object_to_string(
          server_.adapter().activate(std::make_shared<CalculatorImpl>(), "temporary"))));
  ASSERT_TRUE(server_.adapter().deactivate("temporary"));
  try {
    missing->add(1, 1);
    FAIL() << "no exception";
  } catch (const orb::OBJECT_NOT_EXIST& error) {
    EXPECT_NE(error.message().find("no object with the reference's key"), std::string::npos)
        << error.message();
  }
  EXPECT_TRUE(missing->_non_existent());
}

TEST_P(OrbCall, IsAAsksTheServer) {
  EXPECT_TRUE(calculator_->_is_a("IDL:Calc/Calculator:1.0"));
  EXPECT_FALSE(calculator_->_is_a("IDL:Calc/Other:1.0"));
  EXPECT_FALSE(calculator_->_non_existent());
}

TEST_P(OrbCall, EchoLargeSequence) {
  std::vector<uint8_t> data(1 << 20);
  for (size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<uint8_t>(i * 31);
  }
  EXPECT_EQ(calculator_->echo(data), data);
}

TEST_P(OrbCall, OnewayThenCallSeesIt) {
  calculator_->remember(99);
  // A oneway request and the next call travel on one connection in order,
  // but upcalls may run on different threads, so poll briefly.
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (calculator_->recall() != 99 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_EQ(calculator_->recall(), 99);
}

TEST_P(OrbCall, AsyncCallsComplete) {
  std::future<int32_t> sum = calculator_->add_async(20, 22);
  std::future<int32_t> failed = calculator_->divide_async(1, 0);
  EXPECT_EQ(sum.get(), 42);
  EXPECT_THROW(failed.get(), Calc::DivideByZero);
}

TEST_P(OrbCall, CallTimesOut) {
  calculator_->_set_call_timeout(200ms);
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(calculator_->sleep(2000), orb::TIMEOUT);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
  calculator_->_set_call_timeout(0ms);
  EXPECT_EQ(calculator_->add(1, 2), 3);  // the connection still works
}

TEST_P(OrbCall, ManyThreadsShareOneConnection) {
  constexpr int kThreads = 8;
  constexpr int kCalls = 10000;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        if (calculator_->add(t * kCalls, i) != t * kCalls + i) {
          ++wrong;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(wrong.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(Transports, OrbCall, ::testing::Values("tcp", "shm"),
                         [](const auto& info) { return info.param; });

TEST(OrbTransport, SameHostPicksSharedMemoryByDefault) {
  orb::Orb server(server_options());
  orb::Orb client(client_options("on"));
  auto calculator = Calc::Calculator::_unchecked_narrow(client.string_to_object(
      server.object_to_string(server.adapter().activate(std::make_shared<CalculatorImpl>(), "c"))));
  EXPECT_EQ(calculator->add(1, 2), 3);
  EXPECT_EQ(client.statistics().shm_connections, 1U);
  EXPECT_EQ(client.statistics().tcp_connections, 0U);
}

TEST(OrbTransport, ShmOffUsesTcp) {
  orb::Orb server(server_options());
  orb::Orb client(client_options("off"));
  auto calculator = Calc::Calculator::_unchecked_narrow(client.string_to_object(
      server.object_to_string(server.adapter().activate(std::make_shared<CalculatorImpl>(), "c"))));
  EXPECT_EQ(calculator->add(1, 2), 3);
  EXPECT_EQ(client.statistics().tcp_connections, 1U);
  EXPECT_EQ(client.statistics().shm_connections, 0U);
}

TEST(OrbTransport, SpinOffStillServesCalls) {
  orb::OrbOptions no_spin = server_options();
  no_spin.spin = false;
  orb::Orb server(no_spin);
  EXPECT_FALSE(orb::detail::SpinTicket().granted());
  for (const std::string shm : {"off", "only"}) {
    orb::Orb client(client_options(shm));
    auto calculator =
        Calc::Calculator::_unchecked_narrow(client.string_to_object(server.object_to_string(
            server.adapter().activate(std::make_shared<CalculatorImpl>(), "spin-" + shm))));
    for (int32_t i = 0; i < 100; ++i) {
      EXPECT_EQ(calculator->add(i, 2), i + 2) << "over " << (shm == "off" ? "TCP" : "shm");
    }
  }
}

TEST(OrbTransport, OtherHostIdentityUsesTcp) {
  orb::Orb server(server_options());
  orb::Orb client(client_options("on"));
  orb::ObjectRef served = server.adapter().activate(std::make_shared<CalculatorImpl>(), "c");
  // Rewrite the shared-memory component as if the server ran on another host.
  orb::giop::IorData ior = served->_ior();
  orb::ior::IiopProfile profile = *orb::ior::find_iiop_profile(ior);
  for (orb::ior::TaggedComponent& component : profile.components) {
    if (component.tag == orb::ior::kTagShmEndpoint) {
      orb::ior::ShmEndpoint endpoint = *orb::ior::find_shm_endpoint(profile);
      endpoint.host_identity = "another-host";
      component = orb::ior::encode_shm_endpoint(endpoint, orb::cdr::kNativeByteOrder);
    }
  }
  orb::giop::IorData moved = orb::ior::make_ior(ior.type_id, profile);
  auto calculator =
      Calc::Calculator::_unchecked_narrow(client.string_to_object(orb::ior::to_string(moved)));
  EXPECT_EQ(calculator->add(1, 2), 3);
  EXPECT_EQ(client.statistics().tcp_connections, 1U);
  EXPECT_EQ(client.statistics().shm_connections, 0U);
}

TEST(OrbTcpFaults, ClosedPortIsTransient) {
  orb::Orb client(client_options());
  // Port 1 on loopback has no listener here; connecting is refused at once.
  auto calculator = Calc::Calculator::_unchecked_narrow(
      client.string_to_object("corbaloc::1.2@127.0.0.1:1/calc"));
  EXPECT_THROW(calculator->add(1, 2), orb::TRANSIENT);
}

TEST(OrbTcpFaults, ReferenceSurvivesServerRestart) {
  std::string reference;
  std::string endpoint;
  orb::Orb client(client_options());
  {
    orb::Orb server(server_options());
    orb::ObjectRef served = server.adapter().activate(std::make_shared<CalculatorImpl>(), "calc");
    reference = server.object_to_string(served);
    auto calculator = Calc::Calculator::_unchecked_narrow(client.string_to_object(reference));
    EXPECT_EQ(calculator->add(1, 1), 2);
    auto profile = orb::ior::find_iiop_profile(served->_ior());
    endpoint = "tcp://127.0.0.1:" + std::to_string(profile->port);
  }
  auto calculator = Calc::Calculator::_unchecked_narrow(client.string_to_object(reference));
  EXPECT_THROW(calculator->add(1, 1), orb::TRANSIENT);  // nothing listens now

  orb::Orb restarted(server_options(endpoint));
  restarted.adapter().activate(std::make_shared<CalculatorImpl>(), "calc");
  EXPECT_EQ(calculator->add(2, 2), 4);
}

TEST(OrbTcpLimits, IdleConnectionClosedAndReopened) {
  orb::OrbOptions options = server_options();
  options.idle_timeout = 1s;
  orb::Orb server(options);
  orb::Orb client(client_options());
  auto calculator = Calc::Calculator::_unchecked_narrow(client.string_to_object(
      server.object_to_string(server.adapter().activate(std::make_shared<CalculatorImpl>(), "c"))));
  EXPECT_EQ(calculator->add(1, 1), 2);
  // The server closes the idle connection after 1 s with CloseConnection;
  // the next call notices before writing and connects again.
  std::this_thread::sleep_for(1600ms);
  EXPECT_EQ(calculator->add(2, 2), 4);
}

TEST(OrbTcpLimits, RequestsBeyondLimitWaitTheirTurn) {
  orb::OrbOptions options = server_options();
  options.max_requests_per_connection = 1;
  orb::Orb server(options);
  orb::Orb client(client_options());
  auto calculator = Calc::Calculator::_unchecked_narrow(client.string_to_object(
      server.object_to_string(server.adapter().activate(std::make_shared<CalculatorImpl>(), "c"))));
  std::vector<std::future<int32_t>> sums;
  for (int i = 0; i < 6; ++i) {
    sums.push_back(std::async(std::launch::async, [&, i] {
      calculator->sleep(20);
      return calculator->add(i, 1);
    }));
  }
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(sums[static_cast<size_t>(i)].get(), i + 1);
  }
}

/// A plain TCP client on 127.0.0.1 that sends GIOP messages it builds
/// itself, so that a test can put several of them in one write.
class RawGiopClient {
 public:
  explicit RawGiopClient(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawGiopClient() { ::close(fd_); }
  RawGiopClient(const RawGiopClient&) = delete;
  RawGiopClient& operator=(const RawGiopClient&) = delete;

  bool connected() const noexcept { return connected_; }

  /// Sends the messages with a single send(), so the server reads them together.
  bool send_together(const std::vector<std::vector<uint8_t>>& messages) const {
    std::vector<uint8_t> bytes;
    for (const std::vector<uint8_t>& message : messages) {
      bytes.insert(bytes.end(), message.begin(), message.end());
    }
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }

  /// Returns the next whole message, or nothing at end of stream or after `timeout`.
  std::optional<std::vector<uint8_t>> read_message(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      if (pending_.size() >= orb::giop::kHeaderSize) {
        orb::giop::Header header = orb::giop::decode_header(
            std::span<const uint8_t>(pending_.data(), orb::giop::kHeaderSize));
        size_t size = orb::giop::kHeaderSize + header.body_size;
        if (pending_.size() >= size) {
          std::vector<uint8_t> message(pending_.begin(), pending_.begin() + size);
          pending_.erase(pending_.begin(), pending_.begin() + size);
          return message;
        }
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd entry{fd_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&entry, 1, static_cast<int>(left.count())) <= 0) {
        return std::nullopt;
      }
      uint8_t buffer[4096];
      ssize_t count = ::recv(fd_, buffer, sizeof buffer, 0);
      if (count <= 0) {
        return std::nullopt;
      }
      pending_.insert(pending_.end(), buffer, buffer + count);
    }
  }

 private:
  int fd_;
  bool connected_ = false;
  std::vector<uint8_t> pending_;  // received bytes not yet returned as a message
};

/// Builds a GIOP 1.2 Request for `operation` on the object with `key`.
std::vector<uint8_t> raw_request(uint32_t id, const std::vector<uint8_t>& key,
                                 const std::string& operation,
                                 const std::function<void(orb::cdr::Encoder&)>& arguments) {
  orb::giop::RequestHeader header;
  header.request_id = id;
  header.response_flags = orb::giop::kResponseExpected;
  header.target = orb::giop::KeyAddr{key};
  header.operation = operation;
  orb::giop::MessageWriter writer =
      orb::giop::encode_request(orb::giop::kGiop12, orb::cdr::kNativeByteOrder, header);
  arguments(writer.encoder());
  return writer.finish();
}

/// Returns the request id of `message` when it is a Reply without an exception.
std::optional<uint32_t> ok_reply_id(const std::vector<uint8_t>& message) {
  orb::giop::MessageReader reader(message);
  if (reader.header().type != orb::giop::MessageType::Reply) {
    return std::nullopt;
  }
  orb::giop::ReplyHeader reply = reader.read_reply_header();
  if (reply.reply_status != orb::giop::ReplyStatus::NO_EXCEPTION) {
    return std::nullopt;
  }
  return reply.request_id;
}

/// A server ORB that serves 2 requests of a connection at once, with a
/// Calculator, and the port and key a raw client needs.
class RawTcpPeer : public ::testing::Test {
 protected:
  RawTcpPeer() : server_(limited_server_options()) {
    orb::ObjectRef served = server_.adapter().activate(calculator_, "c");
    std::optional<orb::ior::IiopProfile> profile = orb::ior::find_iiop_profile(served->_ior());
    port_ = profile->port;
    key_ = profile->object_key;
  }

  std::vector<uint8_t> add_request(uint32_t id, int32_t a, int32_t b) const {
    return raw_request(id, key_, "add", [&](orb::cdr::Encoder& out) {
      out.write_long(a);
      out.write_long(b);
    });
  }

  std::vector<uint8_t> sleep_request(uint32_t id, uint32_t milliseconds) const {
    return raw_request(id, key_, "sleep",
                       [&](orb::cdr::Encoder& out) { out.write_ulong(milliseconds); });
  }

  static orb::OrbOptions limited_server_options() {
    orb::OrbOptions options = server_options();
    options.max_requests_per_connection = 2;
    return options;
  }

  std::shared_ptr<CalculatorImpl> calculator_ = std::make_shared<CalculatorImpl>();
  orb::Orb server_;
  uint16_t port_ = 0;
  std::vector<uint8_t> key_;
};

// A CancelRequest (sent on a call timeout) can share a read with a request.
// The server must then read on, or the client's next call gets no reply.
TEST_F(RawTcpPeer, CancelAfterRequestKeepsReading) {
  RawGiopClient client(port_);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send_together(
      {add_request(1, 1, 2),
       orb::giop::encode_cancel_request(orb::giop::kGiop12, orb::cdr::kNativeByteOrder,
                                        orb::giop::CancelRequestHeader{9})}));
  std::optional<std::vector<uint8_t>> first = client.read_message(5s);
  ASSERT_TRUE(first);
  EXPECT_EQ(ok_reply_id(*first), 1U);

  ASSERT_TRUE(client.send_together({add_request(2, 3, 4)}));
  std::optional<std::vector<uint8_t>> second = client.read_message(5s);
  ASSERT_TRUE(second) << "the server stopped reading the connection";
  EXPECT_EQ(ok_reply_id(*second), 2U);
}

/// Expects the reply to request `id` and then the end of the connection.
void expect_reply_then_close(RawGiopClient& client, uint32_t id) {
  std::optional<std::vector<uint8_t>> reply = client.read_message(5s);
  ASSERT_TRUE(reply) << "the server closed the connection before replying";
  EXPECT_EQ(ok_reply_id(*reply), id);
  auto waited_from = std::chrono::steady_clock::now();
  EXPECT_FALSE(client.read_message(5s)) << "a message after the reply";
  EXPECT_LT(std::chrono::steady_clock::now() - waited_from, 4s) << "the server did not close";
}

// A CloseConnection read together with a slow request closes the connection
// only after that request's reply, as when one thread served a whole read.
TEST_F(RawTcpPeer, CloseWaitsForEarlierReply) {
  RawGiopClient client(port_);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send_together(
      {sleep_request(1, 200),
       orb::giop::encode_close_connection(orb::giop::kGiop12, orb::cdr::kNativeByteOrder)}));
  expect_reply_then_close(client, 1);
}

TEST_F(RawTcpPeer, CloseInLaterReadWaitsForReply) {
  RawGiopClient client(port_);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send_together({sleep_request(1, 200)}));
  std::this_thread::sleep_for(50ms);  // the close comes in a read of its own
  ASSERT_TRUE(client.send_together(
      {orb::giop::encode_close_connection(orb::giop::kGiop12, orb::cdr::kNativeByteOrder)}));
  expect_reply_then_close(client, 1);
}

// Requests read together are served beside a slow one, but no more of
// them at once than -ORBMaxRequestsPerConnection allows.
TEST_F(RawTcpPeer, QueuedRequestsKeepConnectionLimit) {
  RawGiopClient client(port_);
  ASSERT_TRUE(client.connected());
  std::vector<std::vector<uint8_t>> requests;
  for (uint32_t id = 1; id <= 8; ++id) {
    requests.push_back(sleep_request(id, 50));
  }
  ASSERT_TRUE(client.send_together(requests));
  for (int i = 0; i < 8; ++i) {
    std::optional<std::vector<uint8_t>> reply = client.read_message(10s);
    ASSERT_TRUE(reply) << "reply " << i << " missing";
    EXPECT_TRUE(ok_reply_id(*reply));
  }
  EXPECT_EQ(calculator_->max_sleeping(), 2);
}

TEST(OrbOptions, UnknownOptionIsNamed) {
  std::vector<std::string> arguments{"-ORBListn", "tcp://127.0.0.1:0"};
  try {
    orb::parse_options(arguments, {});
    FAIL() << "accepted";
  } catch (const orb::BAD_PARAM& error) {
    EXPECT_NE(std::string(error.what()).find("unknown ORB option -ORBListn"), std::string::npos);
  }
}

// A string that is no reference at all names the three forms that are.
TEST(OrbReferences, UnknownFormNamesTheAcceptedOnes) {
  orb::OrbOptions options;
  options.log_level = "off";
  orb::Orb orb(options);
  try {
    orb.string_to_object("garbage");
    FAIL() << "accepted";
  } catch (const orb::BAD_PARAM& error) {
    EXPECT_NE(error.message().find("'garbage'"), std::string::npos) << error.message();
    EXPECT_NE(error.message().find("corbaloc:"), std::string::npos) << error.message();
  }
}

TEST(OrbOptions, EnvironmentAndCommandLine) {
  std::vector<std::string> arguments{"app", "-ORBCallTimeout", "250", "file.txt"};
  orb::OrbOptions options = orb::parse_options(arguments, {"ORB_THREADS=3", "ORB_CALLTIMEOUT=9"});
  EXPECT_EQ(options.threads, 3U);
  EXPECT_EQ(options.call_timeout, 250ms);
  EXPECT_EQ(arguments, (std::vector<std::string>{"app", "file.txt"}));
}

TEST(OrbOptions, MallocTopPadRange) {
  std::vector<std::string> arguments{"-ORBMallocTopPad", "0"};
  EXPECT_EQ(orb::parse_options(arguments, {}).malloc_top_pad, 0U);
  std::vector<std::string> default_arguments;
  EXPECT_EQ(orb::parse_options(default_arguments, {}).malloc_top_pad, 16U * 1024 * 1024);

  std::vector<std::string> too_large{"-ORBMallocTopPad", "4294967296"};
  try {
    orb::parse_options(too_large, {});
    FAIL() << "accepted 4294967296";
  } catch (const orb::BAD_PARAM& error) {
    EXPECT_NE(std::string(error.what()).find("-ORBMallocTopPad"), std::string::npos);
  }
}

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
TEST(OrbOptions, LargeBlocksStayOnTheHeap) {
  orb::Orb client(orb::OrbOptions{});  // the default pad, 16 MiB
  struct mallinfo2 before = ::mallinfo2();
  void* block = std::malloc(1024 * 1024);
  struct mallinfo2 during = ::mallinfo2();
  std::free(block);
  // A mapped block would be unmapped on free and faulted in anew next time.
  EXPECT_EQ(during.hblks, before.hblks);
}
#endif

TEST(OrbOptions, SpinOnOrOff) {
  std::vector<std::string> off{"-ORBSpin", "off"};
  EXPECT_FALSE(orb::parse_options(off, {}).spin);
  std::vector<std::string> on{"-ORBSpin", "on"};
  EXPECT_TRUE(orb::parse_options(on, {}).spin);
  std::vector<std::string> none;
  EXPECT_TRUE(orb::parse_options(none, {}).spin);

  std::vector<std::string> invalid{"-ORBSpin", "sometimes"};
  try {
    orb::parse_options(invalid, {});
    FAIL() << "accepted -ORBSpin sometimes";
  } catch (const orb::BAD_PARAM& error) {
    EXPECT_NE(std::string(error.what()).find("expected on or off"), std::string::npos);
  }
}

}  // namespace
