// Generated proxies and skeletons end to end: every IDL type kind, in, out
// and inout parameters, attributes, a user exception, oneway, async calls,
// and a callback object that the client passes and the server calls,
// over TCP and over shared memory.
#include "child_process.hpp"
#include "everything.hpp"
#include "everything_servant.hpp"

#include <orb/detail/log.hpp>
#include <orb/ior/iiop_profile.hpp>
#include <orb/orb.hpp>

#include <spdlog/sinks/ostream_sink.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using namespace Everything;

class TagImpl final : public TagServant {
 public:
  std::string label() override { return "tag seven"; }
  int32_t number() override { return 7; }
};

class ListenerImpl final : public ListenerServant {
 public:
  void notify(const std::string& event) override {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
    changed_.notify_all();
  }
  void ping(int32_t count) override { pings_ += count; }

  bool wait_for_event(const std::string& event) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 5s, [&] {
      return std::find(events_.begin(), events_.end(), event) != events_.end();
    });
  }
  int32_t pings() const { return pings_; }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> events_;
  std::atomic<int32_t> pings_{0};
};

class ServiceImpl final : public ServiceServant {
 public:
  int32_t counter() override { return counter_; }
  void counter(int32_t value) override { counter_ = value; }
  std::string name() override { return "everything"; }
  Record mirror(const Record& input) override { return input; }
  void swap(std::string& first, std::string& second) override { std::swap(first, second); }
  int32_t split(double value, int32_t& whole, double& fraction) override {
    whole = static_cast<int32_t>(value);
    fraction = value - whole;
    return whole * 2;
  }
  void refuse(const std::string& reason) override { throw Rejected(reason, 42); }
  Blob reverse(const Blob& data) override { return Blob(data.rbegin(), data.rend()); }
  Packet wrap(int32_t id, const Blob& data) override { return Packet{id, data}; }
  uint64_t total_size(const Blobs& parts) override {
    uint64_t total = 0;
    for (const Blob& part : parts) {
      total += part.size();
    }
    return total;
  }
  void bump(int32_t amount) override { counter_ += amount; }
  void note(const std::string& text) override {
    std::lock_guard lock(mutex_);
    notes_.push_back(text);
    noted_.notify_all();
  }
  /// Waits until `expected` calls are inside gather() or 5 s pass, and
  /// returns how many were inside at the most.
  int32_t gather(int32_t expected) override {
    std::unique_lock lock(mutex_);
    gathered_ = std::max(gathered_, ++inside_);
    noted_.notify_all();
    noted_.wait_for(lock, 5s, [&] { return gathered_ >= expected; });
    --inside_;
    return gathered_;
  }
  bool wait_for_note(const std::string& text) {
    std::unique_lock lock(mutex_);
    return noted_.wait_for(
        lock, 5s, [&] { return std::find(notes_.begin(), notes_.end(), text) != notes_.end(); });
  }
  void subscribe(const std::shared_ptr<Listener>& listener) override {
    std::lock_guard lock(mutex_);
    listener_ = listener;
  }
  void publish(const std::string& event) override {
    std::shared_ptr<Listener> listener;
    {
      std::lock_guard lock(mutex_);
      listener = listener_;
    }
    if (listener) {
      listener->notify(event);  // a call back into the client's own ORB
      listener->ping(1);
    }
  }
  std::shared_ptr<Listener> current_listener() override {
    std::lock_guard lock(mutex_);
    return listener_;
  }
  std::string label_of(const std::shared_ptr<Named>& item) override {
    return item ? item->label() : "(nil)";
  }
  std::shared_ptr<Named> same_named(const std::shared_ptr<Named>& item) override { return item; }

 private:
  std::atomic<int32_t> counter_{0};
  std::mutex mutex_;
  std::condition_variable noted_;
  std::shared_ptr<Listener> listener_;
  std::vector<std::string> notes_;
  int32_t inside_ = 0;    // calls in gather() now
  int32_t gathered_ = 0;  // the maximum of inside_ so far
};

Record sample_record() {
  Record record;
  record.flag = true;
  record.letter = 'q';
  record.wide_letter = L'\u00E9';
  record.small = 200;
  record.s16 = -12345;
  record.u16 = 54321;
  record.s32 = -2000000000;
  record.u32 = 4000000000U;
  record.s64 = -9000000000000000000LL;
  record.u64 = 18000000000000000000ULL;
  record.f32 = 1.5f;
  record.f64 = -2.25;
  record.f128 = 1.0L / 3.0L;
  record.text = "caf\xC3\xA9";
  record.wide_text = L"gr\u00FC\u00DF \U0001F600";
  record.short_text = "ten chars!";
  record.hue = Color::blue;
  std::vector<Point> outline{{1, 2}, {3, 4}};
  record.figure.outline(outline);
  record.grid = {{{1, 2, 3}, {4, 5, 6}}};
  record.payload = {0, 1, 2, 255};
  record.labels = {"a", "bc"};
  record.extra.insert(std::string("inside an any"));
  return record;
}

orb::OrbOptions options_for(const std::string& shm, bool listen) {
  orb::OrbOptions options;
  options.shm = shm;
  options.log_level = "warn";
  options.call_timeout = 10s;
  if (listen) {
    options.listen = {"tcp://127.0.0.1:0"};
  }
  return options;
}

class GeneratedCall : public ::testing::TestWithParam<std::string> {
 protected:
  GeneratedCall()
      : server_(server_options()),
        // The client listens too, because it serves the callback object.
        client_(options_for(GetParam() == "shm" ? "only" : "off", true)) {
    orb::ObjectRef served = server_.adapter().activate(std::make_shared<ServiceImpl>(), "svc");
    service_ = Service::narrow(client_.string_to_object(server_.object_to_string(served)));
  }

  /// Returns the server's options: the defaults, with which a connection
  /// over either transport runs up to -ORBMaxRequestsPerConnection (64)
  /// upcalls at once.
  static orb::OrbOptions server_options() { return options_for("on", true); }

  orb::Orb server_;
  orb::Orb client_;
  std::shared_ptr<Service> service_;
};

TEST_P(GeneratedCall, NarrowChecksTheType) {
  ASSERT_NE(service_, nullptr);
  EXPECT_EQ(Listener::narrow(service_), nullptr);
}

TEST_P(GeneratedCall, RecordOfEveryTypeMirrors) {
  Record record = sample_record();
  Record back = service_->mirror(record);
  EXPECT_EQ(back.f128, record.f128);
  EXPECT_EQ(back.wide_text, record.wide_text);
  EXPECT_EQ(back.figure.outline(), record.figure.outline());
  std::string extra;
  EXPECT_TRUE(back.extra.extract(extra));
  EXPECT_EQ(extra, "inside an any");
  EXPECT_TRUE(back == record);
}

TEST_P(GeneratedCall, LargeBlobsPassIntact) {
  // Over shared memory, blocks of 64 KiB or more travel apart from the
  // message and are decoded without a copy: at the top level and inside a
  // struct, among other fields.
  Blob data(300 * 1024 + 3);
  for (size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<uint8_t>((i * 2654435761U) >> 9);
  }
  Record record = sample_record();
  record.payload = data;
  EXPECT_TRUE(service_->mirror(record) == record);
  Blob reversed = service_->reverse(data);
  EXPECT_TRUE(std::equal(reversed.begin(), reversed.end(), data.rbegin(), data.rend()));
  Packet packet = service_->wrap(7, data);
  EXPECT_EQ(packet.id, 7);
  EXPECT_TRUE(packet.data == data);
  uint64_t blocks = client_.statistics().shm_blocks_received;
  if (GetParam() == "shm") {
    // The reversed blob and the packet's. Record has bounded members,
    // which its generated code encodes one by one, so its reply copies.
    EXPECT_EQ(blocks, 2U);
  } else {
    EXPECT_EQ(blocks, 0U);
  }
}

TEST_P(GeneratedCall, MoreBlobsThanNoticeLimit) {
  // Each blob is a borrowed block. There are more than a block notice may
  // name, so the request carries the rest inside the message.
  Blobs parts;
  uint64_t total = 0;
  for (size_t i = 0; i < 70; ++i) {
    parts.emplace_back(64 * 1024 + i, static_cast<uint8_t>(i));
    total += parts.back().size();
  }
  EXPECT_EQ(service_->total_size(parts), total);
  EXPECT_EQ(service_->total_size(parts), total);
}

TEST_P(GeneratedCall, InoutAndOutParameters) {
  std::string first = "one";
  std::string second = "two";
  service_->swap(first, second);
  EXPECT_EQ(first, "two");
  EXPECT_EQ(second, "one");

  int32_t whole = 0;
  double fraction = 0;
  EXPECT_EQ(service_->split(3.25, whole, fraction), 6);
  EXPECT_EQ(whole, 3);
  EXPECT_EQ(fraction, 0.25);
}

TEST_P(GeneratedCall, Attributes) {
  service_->counter(41);
  EXPECT_EQ(service_->counter(), 41);
  EXPECT_EQ(service_->name(), "everything");
}

TEST_P(GeneratedCall, AsyncAttributes) {
  std::future<void> set = service_->counter_async(17);
  set.get();
  EXPECT_EQ(service_->counter_async().get(), 17);
  EXPECT_EQ(service_->name_async().get(), "everything");
}

TEST_P(GeneratedCall, UserExceptionWithMembers) {
  try {
    service_->refuse("not today");
    FAIL() << "no exception";
  } catch (const Rejected& error) {
    EXPECT_EQ(error.reason, "not today");
    EXPECT_EQ(error.code, 42);
  }
}

TEST_P(GeneratedCall, BoundedStringTooLongIsRejectedBeforeSending) {
  Record record = sample_record();
  record.short_text = "eleven chars";
  EXPECT_THROW(service_->mirror(record), orb::BAD_PARAM);
}

TEST_P(GeneratedCall, OnewayAndAsync) {
  service_->counter(0);
  service_->bump(5);
  std::future<Record> mirrored = service_->mirror_async(sample_record());
  std::future<void> swapped = service_->refuse_async("later");
  EXPECT_TRUE(mirrored.get() == sample_record());
  EXPECT_THROW(swapped.get(), Rejected);
  // The oneway and the next call share a connection but may run on
  // different server threads, so poll briefly for the oneway's effect.
  auto deadline = std::chrono::steady_clock::now() + 5s;
  int32_t value = service_->counter();
  while (value != 5 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
    value = service_->counter();
  }
  EXPECT_EQ(value, 5);
}

TEST_P(GeneratedCall, AsyncCallsOutnumberLoopThreads) {
  // Each call waits in the servant for all the others, so they complete
  // only when every one of them is in flight at once.
  constexpr int32_t kCalls = 12;
  ASSERT_GT(static_cast<size_t>(kCalls), client_.options().threads);
  ASSERT_GT(static_cast<size_t>(kCalls), server_.options().threads);
  ASSERT_LE(static_cast<size_t>(kCalls), server_.options().max_requests_per_connection);
  std::vector<std::future<int32_t>> calls;
  for (int32_t i = 0; i < kCalls; ++i) {
    calls.push_back(service_->gather_async(kCalls));
  }
  for (std::future<int32_t>& call : calls) {
    EXPECT_EQ(call.get(), kCalls);
  }
}

// A reference passed as an abstract interface reaches the server, which
// calls it back, and returns narrowed to its concrete interface. A nil
// one travels as FALSE and the null value.
TEST_P(GeneratedCall, AbstractInterfaceCarriesReferences) {
  auto tag = Tag::_unchecked_narrow(client_.adapter().activate(std::make_shared<TagImpl>(), "tag"));
  EXPECT_EQ(service_->label_of(tag), "tag seven");
  std::shared_ptr<Named> back = service_->same_named(tag);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->label(), "tag seven");
  std::shared_ptr<Tag> narrowed = Tag::narrow(back);
  ASSERT_NE(narrowed, nullptr);
  EXPECT_EQ(narrowed->number(), 7);
  EXPECT_EQ(service_->label_of(nullptr), "(nil)");
  EXPECT_EQ(service_->same_named(nullptr), nullptr);
}

TEST_P(GeneratedCall, ServerCallsClientBack) {
  auto listener_servant = std::make_shared<ListenerImpl>();
  auto listener =
      Listener::_unchecked_narrow(client_.adapter().activate(listener_servant, "listener"));
  service_->subscribe(listener);
  service_->publish("hello");
  EXPECT_TRUE(listener_servant->wait_for_event("hello"));
  std::shared_ptr<Listener> returned = service_->current_listener();
  ASSERT_NE(returned, nullptr);
  returned->notify("direct");
  EXPECT_TRUE(listener_servant->wait_for_event("direct"));
}

// The abstract interface's union on the wire: FALSE and the null value
// tag for nil, TRUE and the IOR for a reference. A value type, which this
// ORB cannot decode, is rejected with MARSHAL.
TEST(GeneratedAbstract, UnionOnTheWire) {
  orb::cdr::Encoder nil_encoder(orb::cdr::ByteOrder::big_endian);
  orb::cdr::encode(nil_encoder, std::shared_ptr<Named>());
  std::vector<uint8_t> nil_bytes = nil_encoder.take_bytes();
  EXPECT_EQ(nil_bytes, (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 0, 0}));

  orb::Orb orb(options_for("off", true));
  auto tag = Tag::_unchecked_narrow(orb.adapter().activate(std::make_shared<TagImpl>(), "tag"));
  orb::cdr::Encoder reference_encoder(orb::cdr::ByteOrder::big_endian);
  orb::cdr::encode(reference_encoder, std::static_pointer_cast<Named>(tag));
  std::vector<uint8_t> reference_bytes = reference_encoder.take_bytes();
  orb::cdr::Encoder ior_encoder(orb::cdr::ByteOrder::big_endian);
  orb::cdr::encode(ior_encoder, tag);
  std::vector<uint8_t> ior_bytes = ior_encoder.take_bytes();
  ASSERT_GT(reference_bytes.size(), 4U);
  EXPECT_EQ(reference_bytes[0], 1);
  // The IOR starts 4-aligned, after the boolean and three octets of padding.
  EXPECT_EQ(std::vector<uint8_t>(reference_bytes.begin() + 4, reference_bytes.end()), ior_bytes);

  std::vector<uint8_t> value_bytes{0, 0, 0, 0, 0x7f, 0xff, 0xff, 0x02};
  orb::cdr::Decoder decoder(value_bytes, orb::cdr::ByteOrder::big_endian);
  std::shared_ptr<Named> decoded;
  try {
    orb::cdr::decode_into(decoder, decoded);
    FAIL() << "a value type was decoded";
  } catch (const orb::MARSHAL& error) {
    EXPECT_EQ(error.minor(), orb::minor::kValueTypeUnsupported);
  }

  orb::cdr::Decoder nil_decoder(nil_bytes, orb::cdr::ByteOrder::big_endian);
  std::shared_ptr<Named> nil = tag;
  orb::cdr::decode_into(nil_decoder, nil);
  EXPECT_EQ(nil, nullptr);
}

// The threads that a burst of requests starts on a shared-memory
// connection end again once they have been idle for a while.
TEST(GeneratedCallShm, IdleServerThreadsEnd) {
  orb::Orb server(options_for("on", true));
  orb::Orb client(options_for("only", false));
  orb::ObjectRef served = server.adapter().activate(std::make_shared<ServiceImpl>(), "svc");
  auto service = Service::narrow(client.string_to_object(server.object_to_string(served)));
  ASSERT_NE(service, nullptr);
  size_t before = orb::test::thread_count();
  constexpr int32_t kCalls = 12;
  std::vector<std::thread> callers;
  for (int32_t i = 0; i < kCalls; ++i) {
    callers.emplace_back([&] { EXPECT_EQ(service->gather(kCalls), kCalls); });
  }
  for (std::thread& caller : callers) {
    caller.join();
  }
  size_t after_burst = orb::test::thread_count();
  EXPECT_GE(after_burst, before + kCalls - 2) << "the burst started fewer server threads";
  auto deadline = std::chrono::steady_clock::now() + 15s;
  while (orb::test::thread_count() > before + 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_LE(orb::test::thread_count(), before + 2) << "threads after the burst: " << after_burst;
  EXPECT_EQ(service->counter(), 0);  // the connection still serves
}

// A client ORB destroyed with a call in flight over shared memory ends the
// call, and logs no warning that the server has gone: it has not.
TEST(GeneratedCallShm, ClosingWithCallsInFlightWarnsOfNothing) {
  orb::Orb server(options_for("on", true));
  orb::ObjectRef served = server.adapter().activate(std::make_shared<ServiceImpl>(), "svc");
  std::string ior = server.object_to_string(served);
  auto captured = std::make_shared<std::ostringstream>();
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*captured);
  std::shared_ptr<spdlog::logger> logger = orb::detail::named_logger("orb.giop");
  logger->sinks().push_back(sink);
  std::future<int32_t> pending;
  {
    orb::Orb client(options_for("only", false));
    auto service = Service::narrow(client.string_to_object(ior));
    ASSERT_NE(service, nullptr);
    pending = service->gather_async(2);  // waits in the servant for a second caller
    std::this_thread::sleep_for(50ms);
  }
  logger->sinks().pop_back();
  ASSERT_EQ(pending.wait_for(5s), std::future_status::ready);
  EXPECT_THROW(pending.get(), orb::SystemException);
  EXPECT_EQ(captured->str().find("has gone"), std::string::npos) << captured->str();
}

/// Returns the corbaloc: URL of `object`, served under `key` on 127.0.0.1,
/// or an empty string when its reference has no IIOP profile.
std::string corbaloc_of(const orb::ObjectRef& object, const std::string& key) {
  std::optional<orb::ior::IiopProfile> profile = orb::ior::find_iiop_profile(object->_ior());
  if (!profile) {
    return {};
  }
  return "corbaloc::127.0.0.1:" + std::to_string(profile->port) + "/" + key;
}

// A corbaloc: URL names no code sets, so the client encodes ISO-8859-1
// until a LocateRequest to the server returns the UTF-8 code set. A oneway
// request and an asynchronous call encode their text at once, so the query
// runs before them.
TEST(GeneratedCallByUrl, OnewayAndAsyncSendUtf8) {
  orb::Orb server(options_for("off", true));
  auto servant = std::make_shared<ServiceImpl>();
  std::string url = corbaloc_of(server.adapter().activate(servant, "svc"), "svc");
  ASSERT_FALSE(url.empty());
  const std::string kText = "\xE6\x97\xA5\xE6\x9C\xAC \xE2\x82\xAC";  // outside ISO-8859-1

  orb::Orb oneway_client(options_for("off", false));
  auto by_oneway = Service::_unchecked_narrow(oneway_client.string_to_object(url));
  EXPECT_NO_THROW(by_oneway->note(kText));
  EXPECT_TRUE(servant->wait_for_note(kText));

  orb::Orb async_client(options_for("off", false));
  auto by_async = Service::_unchecked_narrow(async_client.string_to_object(url));
  Record record = sample_record();
  record.text = kText;
  std::future<Record> mirrored = by_async->mirror_async(record);
  EXPECT_EQ(mirrored.get().text, kText);
}

// Several threads make the first calls through one corbaloc reference at
// once. Those that do not send the code-set query wait for its reply.
TEST(GeneratedCallByUrl, ConcurrentFirstOnewaysSendUtf8) {
  orb::Orb server(options_for("off", true));
  auto servant = std::make_shared<ServiceImpl>();
  std::string url = corbaloc_of(server.adapter().activate(servant, "svc"), "svc");
  ASSERT_FALSE(url.empty());
  const std::string kText = "\xE2\x82\xAC ";  // the euro sign, outside ISO-8859-1

  for (int round = 0; round < 5; ++round) {
    orb::Orb client(options_for("off", false));
    auto service = Service::_unchecked_narrow(client.string_to_object(url));
    constexpr int kThreads = 6;
    std::atomic<int> ready{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        ready.fetch_add(1);
        while (ready.load() < kThreads) {
          std::this_thread::yield();
        }
        try {
          service->note(kText + std::to_string(round) + "." + std::to_string(i));
        } catch (const orb::SystemException&) {
          failed.fetch_add(1);
        }
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
    EXPECT_EQ(failed.load(), 0) << "round " << round;
    for (int i = 0; i < kThreads; ++i) {
      EXPECT_TRUE(servant->wait_for_note(kText + std::to_string(round) + "." + std::to_string(i)));
    }
  }
}

// A code-set query that fails, here because the peer closes each
// connection at once, is retried by a later call through the reference.
TEST(GeneratedCallByUrl, FailedCodeSetQueryIsRetried) {
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  int on = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(::listen(listener, 8), 0);
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  uint16_t port = ntohs(address.sin_port);
  std::thread closer([listener] {
    while (true) {
      int accepted = ::accept(listener, nullptr, nullptr);
      if (accepted < 0) {
        return;  // the test shut the listener down
      }
      ::close(accepted);
    }
  });

  std::string url = "corbaloc::127.0.0.1:" + std::to_string(port) + "/svc";
  const std::string kText = "\xE2\x82\xAC";  // the euro sign, outside ISO-8859-1
  orb::Orb client(options_for("off", false));
  auto service = Service::_unchecked_narrow(client.string_to_object(url));
  EXPECT_THROW(service->note(kText), orb::SystemException);
  ::shutdown(listener, SHUT_RDWR);
  closer.join();
  ::close(listener);

  orb::OrbOptions options = options_for("off", false);
  options.listen = {"tcp://127.0.0.1:" + std::to_string(port)};
  orb::Orb server(options);
  auto servant = std::make_shared<ServiceImpl>();
  server.adapter().activate(servant, "svc");
  EXPECT_NO_THROW(service->note(kText));
  EXPECT_TRUE(servant->wait_for_note(kText));
}

// An asynchronous call through a corbaloc: reference to a stopped server
// fails through its future, and its text raises no DATA_CONVERSION.
TEST(GeneratedCallByUrl, AsyncCallToStoppedServerFailsInFuture) {
  std::string url;
  {
    orb::Orb stopped(options_for("off", true));
    url = corbaloc_of(stopped.adapter().activate(std::make_shared<ServiceImpl>(), "svc"), "svc");
  }
  ASSERT_FALSE(url.empty());
  orb::Orb client(options_for("off", false));
  auto service = Service::_unchecked_narrow(client.string_to_object(url));
  Record record = sample_record();
  record.text = "\xE2\x82\xAC";  // the euro sign, outside ISO-8859-1
  std::future<Record> mirrored;
  ASSERT_NO_THROW(mirrored = service->mirror_async(record));
  EXPECT_THROW(mirrored.get(), orb::TRANSIENT);
}

// Asynchronous calls that still wait for a thread when their ORB shuts down
// complete with a result or a CORBA system exception, not std::future_error.
TEST(GeneratedCallShutdown, PendingAsyncCallsComplete) {
  orb::Orb server(options_for("off", true));
  std::string ior =
      server.object_to_string(server.adapter().activate(std::make_shared<ServiceImpl>(), "svc"));
  int dropped = 0;
  for (int round = 0; round < 10; ++round) {
    std::vector<std::future<int32_t>> calls;
    {
      orb::Orb client(options_for("off", false));
      auto service = Service::_unchecked_narrow(client.string_to_object(ior));
      for (int i = 0; i < 16; ++i) {
        calls.push_back(service->gather_async(1));
      }
      client.shutdown(true);
    }
    for (std::future<int32_t>& call : calls) {
      ASSERT_EQ(call.wait_for(10s), std::future_status::ready) << "round " << round;
      try {
        call.get();
      } catch (const orb::SystemException&) {
        // Expected for the calls that the shutdown ended.
      } catch (const std::future_error&) {
        ++dropped;
      }
    }
  }
  EXPECT_EQ(dropped, 0) << "asynchronous calls whose completion never ran";
}

INSTANTIATE_TEST_SUITE_P(Transports, GeneratedCall, ::testing::Values("tcp", "shm"),
                         [](const auto& info) { return info.param; });

}  // namespace
