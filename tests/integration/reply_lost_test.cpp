// ServerRequest::on_reply_lost over TCP and shared memory: the action runs
// when the client's connection is gone by the time the reply is written,
// and not when the reply is delivered. orb::current_request() gives the
// servant its request during the upcall only.
#include "calculator.hpp"

#include <orb/orb.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

namespace {

using namespace std::chrono_literals;

/// A calculator whose sleep() asks to learn of a lost reply.
class WatchfulCalculator final : public Calc::CalculatorServant {
 public:
  int32_t add(int32_t a, int32_t b) override {
    std::lock_guard lock(mutex_);
    seen_operation_ = std::string(orb::current_request()->operation());
    return a + b;
  }
  int32_t divide(int32_t a, int32_t b) override { return a / b; }
  std::vector<uint8_t> echo(const std::vector<uint8_t>& data) override { return data; }
  void sleep(uint32_t milliseconds) override {
    orb::current_request()->on_reply_lost([this] { ++lost_; });
    std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
  }
  void remember(int32_t) override {}
  int32_t recall() override { return 0; }

  std::string seen_operation() {
    std::lock_guard lock(mutex_);
    return seen_operation_;
  }

  std::atomic<int> lost_{0};

 private:
  // The reply orders the write before the test's read, but over shared
  // memory ThreadSanitizer cannot see that: the client and the server map
  // the rings at different addresses. The mutex makes the order visible.
  std::mutex mutex_;
  std::string seen_operation_;  // guarded by mutex_
};

orb::OrbOptions client_options(const std::string& transport) {
  orb::OrbOptions options;
  options.shm = transport == "shm" ? "only" : "off";
  options.log_level = "warn";
  return options;
}

class ReplyLost : public ::testing::TestWithParam<std::string> {
 protected:
  ReplyLost() : server_(server_options()), servant_(std::make_shared<WatchfulCalculator>()) {
    reference_ = server_.object_to_string(server_.adapter().activate(servant_, "calc"));
  }

  static orb::OrbOptions server_options() {
    orb::OrbOptions options;
    options.listen = {"tcp://127.0.0.1:0"};
    options.log_level = "warn";
    return options;
  }

  bool lost_within(std::chrono::milliseconds limit) const {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (servant_->lost_ == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(5ms);
    }
    return servant_->lost_ > 0;
  }

  orb::Orb server_;
  std::shared_ptr<WatchfulCalculator> servant_;
  std::string reference_;
};

TEST_P(ReplyLost, ActionRunsWhenTheClientLeftFirst) {
  {
    orb::Orb client(client_options(GetParam()));
    auto calculator = Calc::Calculator::_unchecked_narrow(client.string_to_object(reference_));
    calculator->_set_call_timeout(100ms);
    EXPECT_THROW(calculator->sleep(500), orb::TIMEOUT);
  }  // the client ORB closes its connection while the upcall still sleeps
  EXPECT_TRUE(lost_within(3s));
  EXPECT_EQ(servant_->lost_, 1);
}

TEST_P(ReplyLost, ActionDoesNotRunForADeliveredReply) {
  orb::Orb client(client_options(GetParam()));
  auto calculator = Calc::Calculator::_unchecked_narrow(client.string_to_object(reference_));
  calculator->sleep(20);
  EXPECT_EQ(calculator->add(1, 2), 3);  // the connection still works
  EXPECT_FALSE(lost_within(200ms));
}

TEST_P(ReplyLost, CurrentRequestIsSetOnlyDuringTheUpcall) {
  EXPECT_EQ(orb::current_request(), nullptr);
  orb::Orb client(client_options(GetParam()));
  auto calculator = Calc::Calculator::_unchecked_narrow(client.string_to_object(reference_));
  EXPECT_EQ(calculator->add(2, 3), 5);
  EXPECT_EQ(servant_->seen_operation(), "add");
}

INSTANTIATE_TEST_SUITE_P(Transports, ReplyLost, ::testing::Values("tcp", "shm"),
                         [](const auto& info) { return info.param; });

}  // namespace
