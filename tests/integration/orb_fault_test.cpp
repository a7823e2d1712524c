// Fault tests over real processes on 127.0.0.1: a server killed in the
// middle of a call, a server restarted on the same port, peers that send
// garbage or announce an enormous message, upcalls that throw what is not
// a CORBA exception, and a scripted server that stops reading. calc_server
// runs as a child process. Every wait is bounded, and the tests wait for
// conditions, not for time to pass.
#include "calculator.hpp"
#include "child_process.hpp"

#include <orb/giop/header.hpp>
#include <orb/giop/iop.hpp>
#include <orb/giop/messages.hpp>
#include <orb/ior/components.hpp>
#include <orb/ior/iiop_profile.hpp>
#include <orb/ior/ior.hpp>
#include <orb/orb.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <filesystem>
#include <functional>
#include <future>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using orb::test::ChildProcess;
using orb::test::ScratchDir;

orb::OrbOptions client_options() {
  orb::OrbOptions options;
  options.shm = "off";  // these are the TCP faults; shm_fault_test has the shared-memory ones
  options.log_level = "off";
  options.call_timeout = 10s;
  options.connect_timeout = 2s;
  return options;
}

/// Waits up to `timeout` for `text` to appear in the file at `path`.
bool wait_for_text(const std::string& path, const std::string& text,
                   std::chrono::milliseconds timeout = 10s) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (orb::test::read_text_file(path).find(text) != std::string::npos) {
      return true;
    }
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

/// A calc_server child process on a fixed loopback port.
class CalcServer {
 public:
  CalcServer(const ScratchDir& scratch, uint16_t port, const std::string& name = "calc_server")
      : ior_file_(scratch.file(name + ".ior")), log_file_(scratch.file(name + ".log")) {
    process_.emplace(std::vector<std::string>{ORB_CALC_SERVER, ior_file_, std::to_string(port)},
                     log_file_);
    ior_ = orb::test::wait_for_file(ior_file_, *process_);
  }

  const std::string& ior() const noexcept { return ior_; }
  const std::string& log_file() const noexcept { return log_file_; }
  std::string log() const { return orb::test::read_text_file(log_file_); }
  ChildProcess& process() { return *process_; }

 private:
  std::string ior_file_;
  std::string log_file_;
  std::optional<ChildProcess> process_;
  std::string ior_;
};

class OrbFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = orb::test::free_loopback_port();
    server_.emplace(scratch_, port_);
    ASSERT_FALSE(server_->ior().empty()) << "calc_server wrote no IOR:\n" << server_->log();
    calculator_ = Calc::Calculator::_unchecked_narrow(client_.string_to_object(server_->ior()));
  }

  ScratchDir scratch_;
  uint16_t port_ = 0;
  std::optional<CalcServer> server_;
  orb::Orb client_{client_options()};
  std::shared_ptr<Calc::Calculator> calculator_;
};

TEST_F(OrbFaults, KilledServerMidCallIsCommFailureMaybe) {
  ASSERT_EQ(calculator_->add(1, 2), 3);
  std::future<void> call = std::async(std::launch::async, [&] { calculator_->sleep(30000); });
  ASSERT_TRUE(wait_for_text(server_->log_file(), "upcall sleep 30000 started"));

  auto killed_at = Clock::now();
  server_->process().kill_now();
  ASSERT_EQ(call.wait_for(5s), std::future_status::ready) << "the call outlived its server";
  EXPECT_LT(Clock::now() - killed_at, 5s);
  try {
    call.get();
    FAIL() << "the call returned normally";
  } catch (const orb::COMM_FAILURE& error) {
    EXPECT_EQ(error.completed(), orb::CompletionStatus::maybe);
  }
}

TEST_F(OrbFaults, RestartedServerServesTheSameReference) {
  ASSERT_EQ(calculator_->add(2, 3), 5);
  server_.reset();  // stops the process and waits for it
  EXPECT_THROW(calculator_->add(1, 1), orb::TRANSIENT);

  server_.emplace(scratch_, port_, "calc_server_again");
  ASSERT_FALSE(server_->ior().empty()) << server_->log();
  EXPECT_EQ(calculator_->add(20, 22), 42);
}

TEST_F(OrbFaults, UpcallThrowingBadAllocIsUnknown) {
  try {
    calculator_->divide(1, -3);
    FAIL() << "no exception";
  } catch (const orb::UNKNOWN& error) {
    EXPECT_EQ(error.completed(), orb::CompletionStatus::maybe);
  }
  EXPECT_EQ(calculator_->add(1, 1), 2);
}

TEST_F(OrbFaults, UpcallThrowingIntIsUnknown) {
  try {
    calculator_->divide(1, -4);
    FAIL() << "no exception";
  } catch (const orb::UNKNOWN& error) {
    EXPECT_EQ(error.completed(), orb::CompletionStatus::maybe);
  }
  EXPECT_EQ(calculator_->add(1, 1), 2);
}

// Asynchronous calls in flight hold no thread each: one task reads the
// connection for all of them. Each call waits 300 ms in the server, which
// leaves time to count the client's threads meanwhile.
TEST_F(OrbFaults, WaitingAsyncCallsHoldNoThreads) {
  ASSERT_EQ(calculator_->add(1, 2), 3);
  size_t before = orb::test::thread_count();
  constexpr int kCalls = 40;
  std::vector<std::future<void>> calls;
  for (int i = 0; i < kCalls; ++i) {
    calls.push_back(calculator_->sleep_async(300));
  }
  ASSERT_TRUE(wait_for_text(server_->log_file(), "upcall sleep 300 started"));
  size_t peak = 0;
  while (calls.front().wait_for(1ms) != std::future_status::ready) {
    peak = std::max(peak, orb::test::thread_count());
  }
  EXPECT_LE(peak, before + 4) << "threads before the calls: " << before;
  for (std::future<void>& call : calls) {
    ASSERT_EQ(call.wait_for(30s), std::future_status::ready);
    EXPECT_NO_THROW(call.get());
  }
}

// A waiting asynchronous call ends with TIMEOUT at its deadline while
// calls without one go on, and the connection keeps serving.
TEST_F(OrbFaults, AsyncCallTimesOutAlone) {
  auto impatient = Calc::Calculator::_unchecked_narrow(client_.string_to_object(server_->ior()));
  impatient->_set_call_timeout(200ms);
  std::future<void> patient = calculator_->sleep_async(1000);
  auto started = Clock::now();
  std::future<void> hurried = impatient->sleep_async(5000);
  ASSERT_EQ(hurried.wait_for(4s), std::future_status::ready) << "no TIMEOUT";
  EXPECT_LT(Clock::now() - started, 4s);
  try {
    hurried.get();
    FAIL() << "the call returned normally";
  } catch (const orb::TIMEOUT& error) {
    EXPECT_EQ(error.completed(), orb::CompletionStatus::maybe);
  }
  EXPECT_EQ(calculator_->add(2, 2), 4);
  ASSERT_EQ(patient.wait_for(10s), std::future_status::ready);
  EXPECT_NO_THROW(patient.get());
}

// An asynchronous call made while a synchronous call reads the connection
// still ends with TIMEOUT at its own deadline, not when that read returns.
TEST_F(OrbFaults, AsyncDeadlineCountsDuringSyncRead) {
  std::future<void> reading = std::async(std::launch::async, [&] { calculator_->sleep(3000); });
  ASSERT_TRUE(wait_for_text(server_->log_file(), "upcall sleep 3000 started"));
  auto impatient = Calc::Calculator::_unchecked_narrow(client_.string_to_object(server_->ior()));
  impatient->_set_call_timeout(200ms);

  auto started = Clock::now();
  std::future<void> hurried = impatient->sleep_async(5000);
  ASSERT_EQ(hurried.wait_for(10s), std::future_status::ready);
  EXPECT_LT(Clock::now() - started, 1500ms) << "the TIMEOUT waited for the synchronous reply";
  EXPECT_THROW(hurried.get(), orb::TIMEOUT);
  EXPECT_NO_THROW(reading.get());
}

// Synchronous and asynchronous calls share the connection: whichever
// thread reads it hands the others their replies.
TEST_F(OrbFaults, SyncAndAsyncCallsShareTheConnection) {
  std::vector<std::future<int32_t>> sums;
  std::vector<std::thread> callers;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 3; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (calculator_->add(t, i) != t + i) {
          wrong.fetch_add(1);
        }
      }
    });
  }
  for (int i = 0; i < 300; ++i) {
    sums.push_back(calculator_->add_async(i, 1));
  }
  for (std::thread& caller : callers) {
    caller.join();
  }
  for (int i = 0; i < 300; ++i) {
    ASSERT_EQ(sums[static_cast<size_t>(i)].wait_for(10s), std::future_status::ready);
    EXPECT_EQ(sums[static_cast<size_t>(i)].get(), i + 1);
  }
  EXPECT_EQ(wrong.load(), 0);
}

/// A loopback listener whose accept queue is full, so that a connection
/// attempt to it waits until the connecting side gives up.
class FullListener {
 public:
  FullListener() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length);
    ::listen(listener_, 0);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    // Each of these completes into the queue until it is full; later SYNs are dropped.
    for (int i = 0; i < 4; ++i) {
      int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
      ::connect(filler, reinterpret_cast<sockaddr*>(&address), length);
      fillers_.push_back(filler);
    }
  }
  ~FullListener() {
    for (int filler : fillers_) {
      ::close(filler);
    }
    ::close(listener_);
  }
  FullListener(const FullListener&) = delete;
  FullListener& operator=(const FullListener&) = delete;

  std::string url() const { return "corbaloc::127.0.0.1:" + std::to_string(port_) + "/calc"; }
  /// Returns a stringified IOR of "calc" here that names its code sets, so
  /// that a client needs no code-set query before its first call.
  std::string ior() const {
    orb::ior::IiopProfile profile;
    profile.version = {1, 2};
    profile.host = "127.0.0.1";
    profile.port = port_;
    profile.object_key = {'c', 'a', 'l', 'c'};
    orb::ior::CodeSetComponentInfo code_sets{{orb::ior::kCodeSetUtf8, {}},
                                             {orb::ior::kCodeSetUtf16, {}}};
    profile.components.push_back(orb::ior::encode_component(code_sets, orb::cdr::kNativeByteOrder));
    return orb::ior::to_string(orb::ior::make_ior("IDL:Calc/Calculator:1.0", profile));
  }

 private:
  int listener_ = -1;
  uint16_t port_ = 0;
  std::vector<int> fillers_;
};

// The call's timeout bounds the connection attempt too, which would
// otherwise take -ORBConnectTimeout.
TEST(OrbConnect, CallTimeoutBoundsConnecting) {
  FullListener full;
  orb::OrbOptions options = client_options();
  options.connect_timeout = 20s;
  options.call_timeout = 300ms;
  orb::Orb client(options);
  auto calculator = Calc::Calculator::_unchecked_narrow(client.string_to_object(full.url()));
  auto started = Clock::now();
  EXPECT_THROW(calculator->add(1, 2), orb::SystemException);
  EXPECT_LT(Clock::now() - started, 5s);
}

// An asynchronous call that must connect first returns at once; the
// connection attempt fails through the future. (Through a corbaloc: URL,
// which names no code sets, the first call connects at once to ask.)
TEST(OrbConnect, AsyncCallDoesNotWaitToConnect) {
  FullListener full;
  orb::OrbOptions options = client_options();
  options.connect_timeout = 1s;
  options.call_timeout = 20s;
  orb::Orb client(options);
  auto calculator = Calc::Calculator::_unchecked_narrow(client.string_to_object(full.ior()));
  auto started = Clock::now();
  std::future<int32_t> sum = calculator->add_async(1, 2);
  EXPECT_LT(Clock::now() - started, 500ms);
  ASSERT_EQ(sum.wait_for(10s), std::future_status::ready);
  EXPECT_THROW(sum.get(), orb::TRANSIENT);
}

// Asynchronous calls waiting on a server that dies end with COMM_FAILURE.
TEST_F(OrbFaults, KilledServerEndsWaitingAsyncCalls) {
  std::vector<std::future<void>> calls;
  for (int i = 0; i < 5; ++i) {
    calls.push_back(calculator_->sleep_async(30000));
  }
  ASSERT_TRUE(wait_for_text(server_->log_file(), "upcall sleep 30000 started"));
  server_->process().kill_now();
  for (std::future<void>& call : calls) {
    ASSERT_EQ(call.wait_for(5s), std::future_status::ready) << "the call outlived its server";
    EXPECT_THROW(call.get(), orb::COMM_FAILURE);
  }
}

/// A GIOP server of the test's own on 127.0.0.1 with one connection, which
/// it reads and writes only on the test's request: a server that stops
/// reading, or that sends what no ORB server would.
class ScriptedServer {
 public:
  ScriptedServer() : listener_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
        ::listen(listener_, 4) == 0 &&
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port_ = ntohs(address.sin_port);
    }
  }
  ~ScriptedServer() {
    close_connection();
    ::close(listener_);
  }
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  /// Returns the listening port, or 0 when the server could not listen.
  uint16_t port() const noexcept { return port_; }

  bool accept(std::chrono::milliseconds timeout) {
    pollfd entry{listener_, POLLIN, 0};
    if (::poll(&entry, 1, static_cast<int>(timeout.count())) <= 0) {
      return false;
    }
    connection_ = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    return connection_ >= 0;
  }

  /// Returns the next whole message, or nothing at end of stream or after `timeout`.
  std::optional<std::vector<uint8_t>> read_message(std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (true) {
      if (received_.size() - used_ >= orb::giop::kHeaderSize) {
        orb::giop::Header header = orb::giop::decode_header(
            std::span<const uint8_t>(received_).subspan(used_, orb::giop::kHeaderSize));
        size_t size = orb::giop::kHeaderSize + header.body_size;
        if (received_.size() - used_ >= size) {
          auto first = received_.begin() + static_cast<ptrdiff_t>(used_);
          std::vector<uint8_t> message(first, first + static_cast<ptrdiff_t>(size));
          used_ += size;
          return message;
        }
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      pollfd entry{connection_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&entry, 1, static_cast<int>(left.count())) <= 0) {
        return std::nullopt;
      }
      uint8_t buffer[64 * 1024];
      ssize_t count = ::recv(connection_, buffer, sizeof buffer, 0);
      if (count <= 0) {
        return std::nullopt;
      }
      received_.erase(received_.begin(), received_.begin() + static_cast<ptrdiff_t>(used_));
      used_ = 0;
      received_.insert(received_.end(), buffer, buffer + count);
    }
  }

  /// Sends all of `bytes`, blocking while the client does not read; false
  /// when `timeout` passes first.
  bool send(const std::vector<uint8_t>& bytes, std::chrono::milliseconds timeout) const {
    auto deadline = Clock::now() + timeout;
    size_t sent = 0;
    while (sent < bytes.size()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      pollfd entry{connection_, POLLOUT, 0};
      if (left.count() <= 0 || ::poll(&entry, 1, static_cast<int>(left.count())) <= 0) {
        return false;
      }
      ssize_t count = ::send(connection_, bytes.data() + sent, bytes.size() - sent,
                             MSG_NOSIGNAL | MSG_DONTWAIT);
      if (count < 0 && errno != EAGAIN) {
        return false;
      }
      sent += count > 0 ? static_cast<size_t>(count) : 0;
    }
    return true;
  }

  /// Waits up to `timeout` until bytes that read_message() has not taken
  /// have arrived, and leaves them unread.
  bool wait_for_unread_bytes(std::chrono::milliseconds timeout) const {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      int unread = 0;
      if (::ioctl(connection_, FIONREAD, &unread) == 0 && unread > 0) {
        return true;
      }
      std::this_thread::sleep_for(1ms);
    }
    return false;
  }

  /// Closes the connection, which ends whatever the client still writes.
  void close_connection() {
    if (connection_ >= 0) {
      ::close(connection_);
      connection_ = -1;
    }
  }

 private:
  int listener_;
  int connection_ = -1;
  uint16_t port_ = 0;
  std::vector<uint8_t> received_;
  size_t used_ = 0;  // bytes of received_ already returned
};

/// `ior` with its IIOP profile moved to `port` on 127.0.0.1: the same
/// object key and code sets, served by a ScriptedServer.
std::string ior_on_port(const std::string& ior, uint16_t port) {
  orb::ior::Ior parsed = orb::ior::parse_ior_string(ior);
  std::optional<orb::ior::IiopProfile> profile = orb::ior::find_iiop_profile(parsed);
  profile->host = "127.0.0.1";
  profile->port = port;
  return orb::ior::to_string(orb::ior::make_ior(parsed.type_id, *profile));
}

/// Returns the request id of `message`, a Request or a CancelRequest.
uint32_t request_id_of(const std::vector<uint8_t>& message) {
  orb::giop::MessageReader reader(message);
  if (reader.header().type == orb::giop::MessageType::CancelRequest) {
    return reader.read_cancel_request_header().request_id;
  }
  return reader.read_request_header().request_id;
}

/// Returns a Reply to `request_id` whose body `write` encodes.
std::vector<uint8_t> reply_to(uint32_t request_id, orb::giop::ReplyStatus status,
                              const std::function<void(orb::cdr::Encoder&)>& write) {
  orb::giop::MessageWriter writer =
      orb::giop::encode_reply(orb::giop::kGiop12, orb::cdr::kNativeByteOrder,
                              orb::giop::ReplyHeader{request_id, status, {}});
  write(writer.encoder());
  return writer.finish();
}

// The CancelRequest of a timed-out call waits behind a large request,
// which the server reads only after the client has read its replies, as a
// server that writes each reply before it reads on does. The client must
// go on reading meanwhile, or neither side moves again.
TEST_F(OrbFaults, CancelBehindStalledWriteKeepsReading) {
  std::vector<uint8_t> large(24 << 20, 7);
  std::future<std::future<std::vector<uint8_t>>> echoed;  // ends once `peer` has closed
  ScriptedServer peer;
  ASSERT_NE(peer.port(), 0);
  std::string ior = ior_on_port(server_->ior(), peer.port());
  auto hurried = Calc::Calculator::_unchecked_narrow(client_.string_to_object(ior));
  constexpr auto kTimeout = 2s;
  hurried->_set_call_timeout(kTimeout);
  auto deadline = Clock::now() + kTimeout;
  std::future<void> timed_out = hurried->sleep_async(60000);
  auto patient = Calc::Calculator::_unchecked_narrow(client_.string_to_object(ior));
  std::future<void> waiting = patient->sleep_async(60000);  // keeps the reader task reading
  ASSERT_TRUE(peer.accept(5s));
  std::optional<std::vector<uint8_t>> sleep_request = peer.read_message(5s);
  ASSERT_TRUE(sleep_request);
  ASSERT_TRUE(peer.read_message(5s));

  // The large request fills the socket and then waits, holding the
  // connection's write lock, while the first call's deadline passes.
  echoed = std::async(std::launch::async, [patient, &large] { return patient->echo_async(large); });
  ASSERT_TRUE(peer.wait_for_unread_bytes(kTimeout));
  ASSERT_LT(Clock::now(), deadline) << "the large request began after the deadline";
  EXPECT_EQ(timed_out.wait_for(5s), std::future_status::ready)
      << "the TIMEOUT waited for the large write";

  // 24 MiB of replies to no call, which the client reads and drops.
  std::vector<uint8_t> replies;
  for (int i = 0; i < 384; ++i) {
    std::vector<uint8_t> reply =
        reply_to(0x7fffffff, orb::giop::ReplyStatus::NO_EXCEPTION,
                 [](orb::cdr::Encoder& out) { out.write_octets(std::vector<uint8_t>(65536)); });
    replies.insert(replies.end(), reply.begin(), reply.end());
  }
  EXPECT_TRUE(peer.send(replies, 10s)) << "the client stopped reading its connection";
  std::optional<std::vector<uint8_t>> echo_request = peer.read_message(10s);
  ASSERT_TRUE(echo_request);
  std::optional<std::vector<uint8_t>> cancel = peer.read_message(10s);
  ASSERT_TRUE(cancel) << "no CancelRequest for the timed-out call";
  EXPECT_EQ(request_id_of(*cancel), request_id_of(*sleep_request));
  EXPECT_EQ(echoed.wait_for(5s), std::future_status::ready);
  ASSERT_EQ(timed_out.wait_for(5s), std::future_status::ready);
  EXPECT_THROW(timed_out.get(), orb::TIMEOUT);
}

// Replies read together do not start a thread each, because the threads
// that a burst starts stay parked in the ORB's cache for a minute.
TEST_F(OrbFaults, RepliesReadTogetherShareThreads) {
  ScriptedServer peer;
  ASSERT_NE(peer.port(), 0);
  auto scripted = Calc::Calculator::_unchecked_narrow(
      client_.string_to_object(ior_on_port(server_->ior(), peer.port())));
  size_t before = orb::test::thread_count();
  constexpr int kCalls = 40;
  std::vector<std::future<int32_t>> sums;
  for (int i = 0; i < kCalls; ++i) {
    sums.push_back(scripted->add_async(i, 1));
  }
  ASSERT_TRUE(peer.accept(5s));
  std::vector<uint8_t> replies;
  for (int i = 0; i < kCalls; ++i) {
    std::optional<std::vector<uint8_t>> request = peer.read_message(5s);
    ASSERT_TRUE(request);
    std::vector<uint8_t> reply =
        reply_to(request_id_of(*request), orb::giop::ReplyStatus::NO_EXCEPTION,
                 [i](orb::cdr::Encoder& out) { out.write_long(i + 1); });
    replies.insert(replies.end(), reply.begin(), reply.end());
  }
  ASSERT_TRUE(peer.send(replies, 5s));  // in one write, so the client reads them together
  for (int i = 0; i < kCalls; ++i) {
    ASSERT_EQ(sums[static_cast<size_t>(i)].wait_for(10s), std::future_status::ready);
    EXPECT_EQ(sums[static_cast<size_t>(i)].get(), i + 1);
  }
  EXPECT_LE(orb::test::thread_count(), before + 4) << "threads before the calls: " << before;
}

// An asynchronous call that its server forwards is sent again to the
// object it was forwarded to, and completes with that object's result.
TEST_F(OrbFaults, ForwardedAsyncCallFollowsTheForward) {
  ScriptedServer peer;
  ASSERT_NE(peer.port(), 0);
  auto forwarded = Calc::Calculator::_unchecked_narrow(
      client_.string_to_object(ior_on_port(server_->ior(), peer.port())));
  std::future<int32_t> sum = forwarded->add_async(20, 22);
  ASSERT_TRUE(peer.accept(5s));
  std::optional<std::vector<uint8_t>> request = peer.read_message(5s);
  ASSERT_TRUE(request);
  orb::ior::Ior target = orb::ior::parse_ior_string(server_->ior());
  ASSERT_TRUE(peer.send(reply_to(request_id_of(*request), orb::giop::ReplyStatus::LOCATION_FORWARD,
                                 [&](orb::cdr::Encoder& out) { orb::giop::encode(out, target); }),
                        5s));
  ASSERT_EQ(sum.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(sum.get(), 42);
  EXPECT_EQ(forwarded->add(1, 2), 3);  // the reference stays forwarded
}

/// A raw TCP connection to the server, for sending what no ORB would.
class RawPeer {
 public:
  explicit RawPeer(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawPeer() { ::close(fd_); }
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;

  bool connected() const noexcept { return connected_; }

  /// "127.0.0.1:PORT" of our end, as the server names its peer.
  std::string local_address() const {
    sockaddr_in address{};
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    return "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  }

  bool send(const std::vector<uint8_t>& bytes) const {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }

  /// Reads until end of stream or `timeout` and returns the bytes and
  /// whether the stream ended.
  std::pair<std::vector<uint8_t>, bool> read_to_end(std::chrono::milliseconds timeout) const {
    std::vector<uint8_t> received;
    auto deadline = Clock::now() + timeout;
    while (true) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      pollfd entry{fd_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&entry, 1, static_cast<int>(left.count())) <= 0) {
        return {received, false};
      }
      uint8_t buffer[4096];
      ssize_t count = ::recv(fd_, buffer, sizeof buffer, 0);
      if (count <= 0) {
        return {received, true};  // end of stream, or a reset, which also ends it
      }
      received.insert(received.end(), buffer, buffer + count);
    }
  }

 private:
  int fd_;
  bool connected_ = false;
};

/// Checks that `received` is exactly one GIOP MessageError.
void expect_message_error(const std::vector<uint8_t>& received) {
  ASSERT_EQ(received.size(), orb::giop::kHeaderSize);
  orb::giop::Header header = orb::giop::decode_header(received);
  EXPECT_EQ(header.type, orb::giop::MessageType::MessageError);
}

TEST_F(OrbFaults, GarbagePeerIsDisconnected) {
  ASSERT_EQ(calculator_->add(1, 2), 3);  // a well-behaved connection, open throughout
  RawPeer peer(port_);
  ASSERT_TRUE(peer.connected());
  ASSERT_TRUE(peer.send({'H', 'T', 'T', 'P', '/', '1', '.', '1', ' ', '2', '0', '0', ' ', 'O'}));

  auto [received, ended] = peer.read_to_end(5s);
  EXPECT_TRUE(ended) << "the server kept the connection open";
  expect_message_error(received);
  EXPECT_TRUE(wait_for_text(server_->log_file(), "closing connection from " + peer.local_address()))
      << server_->log();
  EXPECT_EQ(calculator_->add(40, 2), 42);
}

TEST_F(OrbFaults, FourGibibyteBodyIsDisconnected) {
  ASSERT_EQ(calculator_->add(1, 2), 3);
  RawPeer peer(port_);
  ASSERT_TRUE(peer.connected());
  // A GIOP 1.2 Request header, little-endian, announcing 4294967295 body bytes.
  ASSERT_TRUE(peer.send({'G', 'I', 'O', 'P', 1, 2, 1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0}));

  auto [received, ended] = peer.read_to_end(5s);
  EXPECT_TRUE(ended) << "the server kept the connection open";
  expect_message_error(received);
  EXPECT_TRUE(wait_for_text(server_->log_file(), "closing connection from " + peer.local_address()))
      << server_->log();
  EXPECT_EQ(calculator_->add(40, 2), 42);
}

}  // namespace
